export * from './soap/xml';
export * from './soap/soap.envelope';
export * from './soap/ws-security';
export * from './ws-discovery/ws-discovery.codec';
export * from './onvif-client';
export * from './net/cidr';
export * from './http-auth/challenge-auth';
export * from './ws-discovery/scope-identity';
