import { readFileSync } from 'node:fs';
import { ConfigError, TiergateConfig } from '@tiergate/config';
import { deviceTlsPolicyOf, setDeviceTlsPolicy } from '@tiergate/onvif';

/**
 * Applies devices.tlsVerify / devices.tlsCaFile to every TLS connection this process makes to cameras
 * (https SOAP and snapshots, rtsps DESCRIBE). A CA file that cannot be read or holds no certificate stops
 * start-up with one line naming the key.
 */
export function applyDeviceTls(config: TiergateConfig): void {
  const file = config.devices.tlsCaFile;
  let pem: string | undefined;
  if (file) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError([`TIERGATE_DEVICES_TLS_CA_FILE (devices.tlsCaFile) cannot be read: ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError([`TIERGATE_DEVICES_TLS_CA_FILE (devices.tlsCaFile) holds no PEM certificate: ${file}`]);
  }
  setDeviceTlsPolicy(deviceTlsPolicyOf(config.devices.tlsVerify, pem));
}
