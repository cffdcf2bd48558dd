export * from './stream-uri.rewriter';
export * from './onvif-error.classifier';
export { OnvifSession, withDeadline, parseDeviceInformationXml, postSoap } from './onvif-cam.adapter';
export type { OnvifTarget, RawDeviceInfo, RawProfileInfo } from './onvif-cam.adapter';
export * from './camera.probe';
export * from './profile-kind';
export * from './system-clock.parser';
