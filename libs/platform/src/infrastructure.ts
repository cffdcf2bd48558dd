import { randomBytes } from 'node:crypto';
import { ConfigError, TiergateConfig } from '@tiergate/config';
import { DatabaseHandle, openDatabase } from '@tiergate/persistence';
import { brokerCredentialsOf, EmbeddedBroker, MqttBus, startEmbeddedBroker, withCredentials } from '@tiergate/messaging';
import { DataDirectory } from './data-dir';
import { applyDeviceTls } from './device-tls.setup';
import { startupRetrier, StartInfrastructureOptions } from './startup-retry';

/** What every process shares: the database, the broker, and the secret key. Opened once, closed once. */
export interface Infrastructure {
  config: TiergateConfig;
  database: DatabaseHandle;
  bus: MqttBus;
  /** The broker URL with its credential: never log it unredacted. */
  mqttUrl: string;
  secretKey: string;
  close(): Promise<void>;
}

/**
 * Opens the database (a server when DATABASE_URL is set, else PGlite in the data directory) and the
 * broker (MQTT_URL, else an in-process aedes on loopback). Nothing above this function knows which.
 * A server or broker that is not up yet is retried for `lifecycle.startRetrySeconds` (startup-retry.ts).
 */
export async function startInfrastructure(config: TiergateConfig, processName: string, options: StartInfrastructureOptions = {}): Promise<Infrastructure> {
  applyDeviceTls(config); // devices.tlsVerify for https/rtsps to cameras
  // embedded data directory: 0700, files 0600, umask 0077 before PGlite writes (data-dir.ts)
  const dataDir = !config.database.url && config.dataDir !== 'memory://' ? new DataDirectory(config.dataDir) : undefined;
  dataDir?.prepare();
  const secretKey = resolveSecretKey(config, dataDir);
  const retry = startupRetrier(config, options);
  let broker: EmbeddedBroker | undefined;
  let database: DatabaseHandle | undefined;
  let bus: MqttBus | undefined;
  try {
    // the broker refuses anonymous clients: a credential in MQTT_URL, else one derived from the secret key
    const credentials = brokerCredentialsOf(secretKey);
    broker = config.mqtt.url ? undefined : await startEmbeddedBroker({ port: config.mqtt.embeddedPort, credentials });
    const mqttUrl = withCredentials(config.mqtt.url || broker!.url, credentials);
    bus = await retry.broker(() => MqttBus.connect(mqttUrl, `${processName}-${randomBytes(4).toString('hex')}`, { secretKey }));
    database = await retry.database(() => openDatabase({ url: config.database.url, dataDir: config.dataDir }));
    dataDir?.restrict(); // PGlite's initdb chmods its files 0666
    const opened = { database, bus, broker };
    return {
      config,
      database,
      bus,
      mqttUrl,
      secretKey,
      close: async () => {
        await opened.bus.close().catch(() => undefined);
        await opened.database.close().catch(() => undefined);
        await opened.broker?.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await bus?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await broker?.close().catch(() => undefined);
    throw e;
  }
}

function resolveSecretKey(config: TiergateConfig, dataDir: DataDirectory | undefined): string {
  if (config.auth.secretKey) return config.auth.secretKey;
  if (config.database.url) {
    throw new ConfigError(['TIERGATE_SECRET_KEY (auth.secretKey) must be set when DATABASE_URL is set (every process must share it)']);
  }
  if (!dataDir) return randomBytes(32).toString('base64url');
  return dataDir.secretKey();
}
