// `npm run admin:reset-password`: sets a new password for the built-in `admin` on the server, with the
// same database settings as Tiergate (TIERGATE_DATA_DIR for the embedded database, which must not be
// open, or DATABASE_URL with TIERGATE_SECRET_KEY and MQTT_URL). The password is read from standard input
// (`printf '%s' "$NEW" | npm run admin:reset-password`); with a terminal or an empty input one is
// generated and printed. Every session of the admin ends: at once on running gateways when the broker is
// reachable, else within 30 s (SessionUsers' cache age).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '@tiergate/config';
import { Topics, UserChangedMessage } from '@tiergate/contracts';
import { brokerCredentialsOf, MqttBus, withCredentials } from '@tiergate/messaging';
import { AuditRepository, openDatabase, Transactor, UsersRepository } from '@tiergate/persistence';
import { embeddedDatabaseProblem, resetBuiltInAdminPassword } from './admin-password.reset';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  process.umask(0o077); // files the database writes now are the owner's only, like Tiergate's own (data-dir.ts)
  const config = loadConfig({ env: process.env });
  if (!config.database.url) {
    const problem = embeddedDatabaseProblem(config.dataDir);
    if (problem) throw new Error(problem);
  }
  const given = await readStdin();
  const password = given || randomBytes(12).toString('base64url');
  const database = await openDatabase({ url: config.database.url, dataDir: config.dataDir });
  let adminId: string;
  try {
    const db = database.dataSource;
    adminId = await resetBuiltInAdminPassword({ transactor: new Transactor(db), users: new UsersRepository(db), audit: new AuditRepository(db) }, password);
  } finally {
    await database.close();
  }
  process.stdout.write(given ? 'The password of the built-in user "admin" is set; its sessions have ended.\n' : `New password of the built-in user "admin" (shown only this once): ${password}\n`);
  if (config.mqtt.url && config.auth.secretKey) {
    const message: UserChangedMessage = { userId: adminId, at: new Date().toISOString() };
    try {
      const bus = await MqttBus.connect(withCredentials(config.mqtt.url, brokerCredentialsOf(config.auth.secretKey)), `admin-reset-${randomBytes(4).toString('hex')}`, { timeoutMs: 3000 });
      await bus.publish(Topics.userChanged(adminId), message, { qos: 1 });
      await bus.close();
      return;
    } catch (e) {
      process.stdout.write(`(could not tell running gateways over the broker: ${(e as Error).message}; they notice within 30 s)\n`);
    }
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `cannot reset the admin password: ${(e as Error).message}`}\n`);
  process.exit(1);
});
