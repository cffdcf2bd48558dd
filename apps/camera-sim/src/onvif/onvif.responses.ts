import { escapeXml as x, NS } from '@tiergate/onvif';
import { PTZ_SERVICE_PATH, ptzConfigurationXml } from './onvif.ptz';

/** Pure builders of the ONVIF device and media (ver10) response bodies the simulator answers with. */

export interface DeviceView {
  readonly name: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly serial: string;
  readonly hardwareId: string;
  /** `http://host:port` of the ONVIF service. */
  readonly baseUrl: string;
  readonly scopes: readonly string[];
}

export interface ProfileView {
  readonly token: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly bitrateKbps: number;
  readonly h264Profile: 'Baseline' | 'Main' | 'High';
}

export const VIDEO_SOURCE_TOKEN = 'video_source_1';
const DEVICE_PATH = '/onvif/device_service';
const MEDIA_PATH = '/onvif/media_service';
export const SNAPSHOT_PREFIX = '/onvif/snapshot/';

/** The camera's time zone (POSIX): local time is UTC+8. */
export const CAMERA_TZ = 'CST-8';
const TZ_OFFSET_MS = 8 * 3600 * 1000;

function dateTimeXml(tag: string, d: Date): string {
  return (
    `<tt:${tag}><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute>` +
    `<tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year>` +
    `<tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:${tag}>`
  );
}

export function systemDateAndTime(cameraNow: Date, localTimeOnly: boolean): string {
  const local = new Date(cameraNow.getTime() + TZ_OFFSET_MS);
  return (
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>` +
    `<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>${CAMERA_TZ}</tt:TZ></tt:TimeZone>` +
    (localTimeOnly ? '' : dateTimeXml('UTCDateTime', cameraNow)) +
    dateTimeXml('LocalDateTime', local) +
    `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
  );
}

/** Where the events service answers (GetCapabilities/GetServices advertise it unless the camera has none). */
export const EVENTS_SERVICE_PATH = '/onvif/events_service';

export function capabilities(d: DeviceView, events = true, ptz = false): string {
  return (
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
    `<tt:Device><tt:XAddr>${x(d.baseUrl + DEVICE_PATH)}</tt:XAddr>` +
    `<tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>` +
    `<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
    `<tt:System><tt:DiscoveryResolve>true</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye>` +
    `<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>` +
    `<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
    `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>40</tt:Minor></tt:SupportedVersions></tt:System>` +
    `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>` +
    `<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token>` +
    `<tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security>` +
    `</tt:Device>` +
    (events
      ? `<tt:Events><tt:XAddr>${x(d.baseUrl + EVENTS_SERVICE_PATH)}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
        `<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>`
      : '') +
    `<tt:Media><tt:XAddr>${x(d.baseUrl + MEDIA_PATH)}</tt:XAddr><tt:StreamingCapabilities>` +
    `<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>` +
    `</tt:StreamingCapabilities></tt:Media>` +
    (ptz ? `<tt:PTZ><tt:XAddr>${x(d.baseUrl + PTZ_SERVICE_PATH)}</tt:XAddr></tt:PTZ>` : '') +
    `</tds:Capabilities></tds:GetCapabilitiesResponse>`
  );
}

export function services(d: DeviceView, includeCapability: boolean, events = true, ptz = false): string {
  const service = (ns: string, path: string, caps: string): string =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x(d.baseUrl + path)}</tds:XAddr>` +
    (includeCapability ? `<tds:Capabilities>${caps}</tds:Capabilities>` : '') +
    `<tds:Version><tt:Major>2</tt:Major><tt:Minor>40</tt:Minor></tds:Version></tds:Service>`;
  return (
    `<tds:GetServicesResponse>` +
    service(NS.tds, DEVICE_PATH, `<tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/>` +
      `<tds:Security UsernameToken="true" HttpDigest="true"/><tds:System DiscoveryResolve="true" DiscoveryBye="true"/></tds:Capabilities>`) +
    service(NS.trt, MEDIA_PATH, `<trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="2"/>` +
      `<trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities>`) +
    (events
      ? service(NS.tev, EVENTS_SERVICE_PATH, `<tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="8" MaxPullPoints="8"/>`)
      : '') +
    (ptz
      ? service(NS.tptz, PTZ_SERVICE_PATH, `<tptz:Capabilities xmlns:tptz="${NS.tptz}" EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/>`)
      : '') +
    `</tds:GetServicesResponse>`
  );
}

export function deviceInformation(d: DeviceView): string {
  return (
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x(d.manufacturer)}</tds:Manufacturer>` +
    `<tds:Model>${x(d.model)}</tds:Model><tds:FirmwareVersion>${x(d.firmwareVersion)}</tds:FirmwareVersion>` +
    `<tds:SerialNumber>${x(d.serial)}</tds:SerialNumber><tds:HardwareId>${x(d.hardwareId)}</tds:HardwareId>` +
    `</tds:GetDeviceInformationResponse>`
  );
}

export function scopes(d: DeviceView): string {
  return (
    `<tds:GetScopesResponse>` +
    d.scopes.map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`).join('') +
    `</tds:GetScopesResponse>`
  );
}

function profileXml(p: ProfileView, main: ProfileView, tag: string, ptz = false): string {
  return (
    `<${tag} token="${x(p.token)}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>2</tt:UseCount>` +
    `<tt:SourceToken>${VIDEO_SOURCE_TOKEN}</tt:SourceToken>` +
    `<tt:Bounds x="0" y="0" width="${main.width}" height="${main.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec_${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution>` +
    `<tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit>` +
    `<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:H264><tt:GovLength>${p.fps}</tt:GovLength><tt:H264Profile>${p.h264Profile}</tt:H264Profile></tt:H264>` +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>` +
    `<tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    (ptz ? ptzConfigurationXml('tt:PTZConfiguration') : '') +
    `</${tag}>`
  );
}

export function profiles(list: readonly ProfileView[], ptz = false): string {
  return `<trt:GetProfilesResponse>${list.map((p) => profileXml(p, list[0], 'trt:Profiles', ptz)).join('')}</trt:GetProfilesResponse>`;
}

export function profile(p: ProfileView, main: ProfileView, ptz = false): string {
  return `<trt:GetProfileResponse>${profileXml(p, main, 'trt:Profile', ptz)}</trt:GetProfileResponse>`;
}

export function videoSources(main: ProfileView): string {
  return (
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE_TOKEN}"><tt:Framerate>${main.fps}</tt:Framerate>` +
    `<tt:Resolution><tt:Width>${main.width}</tt:Width><tt:Height>${main.height}</tt:Height></tt:Resolution>` +
    `</trt:VideoSources></trt:GetVideoSourcesResponse>`
  );
}

export function mediaUri(operation: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return (
    `<trt:${operation}Response><trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri>` +
    `<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>` +
    `<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${operation}Response>`
  );
}
