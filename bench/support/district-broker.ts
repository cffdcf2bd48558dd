// A private, authenticated Mosquitto for the district benchmark (as .ci/run makes one): its own port, so no
// other Tiergate process on this machine (tests on the shared 1883 broker) can take part in its placement.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessGroup } from './district-processes';

const canConnect = (port: number) =>
  new Promise<boolean>((r) => {
    const s = connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });

export async function startPrivateBroker(group: ProcessGroup, port: number): Promise<{ url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'district-mqtt-'));
  const password = randomBytes(18).toString('base64url');
  execFileSync('mosquitto_passwd', ['-c', '-b', join(dir, 'passwd'), 'tiergate', password], { stdio: 'ignore' });
  writeFileSync(join(dir, 'acl'), 'user tiergate\ntopic readwrite tiergate/v1/#\n');
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${dir}/passwd\nacl_file ${dir}/acl\npersistence false\nmax_queued_messages 100000\n`);
  for (const f of ['passwd', 'acl', 'mosquitto.conf']) chmodSync(join(dir, f), 0o644);
  chmodSync(dir, 0o755);
  group.start('mosquitto', 'mosquitto', ['-c', join(dir, 'mosquitto.conf')], process.env);
  for (let i = 0; i < 50 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await canConnect(port))) throw new Error(`mosquitto did not listen on ${port} (see its log)`);
  return { url: `mqtt://tiergate:${password}@127.0.0.1:${port}`, dir };
}
