/**
 * The shapes of what a camera reports about itself, shared by the ONVIF adapter that reads them, the
 * database that keeps them and the API that shows them.
 */
export interface CameraProfile {
  token: string;
  name: string;
  /** One profile is `main` (what the device calls main, else the largest), the others `sub`: see libs/onvif profile-kind.ts. */
  kind: 'main' | 'sub';
  encoding: string;
  width: number;
  height: number;
  fps: number;
  bitrate?: number;
  /** Without credentials; host rewritten to the reached address when the camera reported a private one. */
  streamUri: string;
}

export interface CameraDeviceInfo {
  manufacturer?: string;
  model?: string;
  firmwareVersion?: string;
  /** Always a string: 20-digit numeric serials do not survive a number. */
  serialNumber?: string;
  hardwareId?: string;
}
