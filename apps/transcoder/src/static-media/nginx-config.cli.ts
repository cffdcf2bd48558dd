// Writes the static-media nginx configuration at deploy time (docker/docker-compose.yml's media-config service):
//   node dist/apps/transcoder/src/static-media/nginx-config.cli.js <out-file> [listen, default 8091] [run dir, default /tmp]
// Reads Tiergate's configuration like every app: TIERGATE_SECRET_KEY, transcoder.hlsDir (served), and
// transcoder.staticMediaUrl (its path prefix).
// The file holds the link secret (never the key itself): it is written 0600.
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '@tiergate/config';
import { mediaLinkSecretOf } from './media-link';
import { nginxStaticMediaConfig } from './nginx-config';

function main(): void {
  const [out, listen = '8091', runDir = '/tmp'] = process.argv.slice(2);
  if (!out) throw new Error('usage: nginx-config.cli.js <out-file> [listen] [run dir]');
  const config = loadConfig();
  if (!config.auth.secretKey) throw new ConfigError(['TIERGATE_SECRET_KEY must be set: nginx checks links with a secret derived from it']);
  if (!config.transcoder.hlsDir) throw new ConfigError(['transcoder.hlsDir must be set: it is the directory nginx serves']);
  const prefix = config.transcoder.staticMediaUrl ? new URL(config.transcoder.staticMediaUrl).pathname : '';
  const text = nginxStaticMediaConfig({
    listen,
    root: config.transcoder.hlsDir,
    secret: mediaLinkSecretOf(config.auth.secretKey),
    runDir,
    pathPrefix: prefix,
    errorLog: 'stderr',
  });
  writeFileSync(out, text, { mode: 0o600 });
  process.stdout.write(`static-media nginx configuration written to ${out} (serving ${config.transcoder.hlsDir})\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
