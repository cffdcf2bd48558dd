/**
 * The nginx configuration of the static-media server (docs/delivery.md): a whole nginx.conf, so it runs as any
 * user (`nginx -p <dir> -c <file>`, pid, temp and logs under `runDir`). Pure: options in, text out.
 *
 * Only GET/HEAD of `<prefix>/<worker>/<session>/<segment>.ts|m4s|mp4` with a valid, unexpired signature is
 * served, with sendfile; a bad, expired or missing signature, any other path (playlists included: they go
 * through the checked path), and directories all answer the same empty 404. No listing, no index.
 */
export interface NginxStaticMediaOptions {
  /** `host:port` or `port` to listen on. */
  listen: string;
  /** The directory served: the parent of the worker roots (`transcoder.hlsDir`). */
  root: string;
  /** mediaLinkSecretOf(TIERGATE_SECRET_KEY); hex, so it needs no escaping. */
  secret: string;
  /** Directory for nginx's pid, temp files and error log. */
  runDir: string;
  /** URL path prefix of `transcoder.staticMediaUrl` (`/media`), empty for none. */
  pathPrefix?: string;
  /** nginx worker processes: a number or `auto` (default). */
  workers?: number | 'auto';
  /** Error log target; default `<runDir>/error.log` (`stderr` in a container). */
  errorLog?: string;
  /**
   * The user nginx's workers run as when it is started by root (else nginx picks `nobody`, who cannot read the
   * workers' 0700 output directories): the user the transcoders write as. Ignored by an nginx not started by root.
   */
  user?: string;
  /** Only the delivery bench's anchor (nginx serving the same files unchecked) sets this: no link check at all. */
  benchAnchorWithoutCheck?: boolean;
}

const SAFE_PATH = /^\/[A-Za-z0-9_./-]*$/;

export function nginxStaticMediaConfig(o: NginxStaticMediaOptions): string {
  const prefix = (o.pathPrefix ?? '').replace(/\/+$/, '');
  if (prefix && !/^(\/[A-Za-z0-9_-]+)+$/.test(prefix)) throw new Error(`unsafe path prefix ${JSON.stringify(prefix)}`);
  for (const [name, dir] of [['root', o.root], ['runDir', o.runDir]] as const) {
    if (!SAFE_PATH.test(dir) || dir.split('/').includes('..')) throw new Error(`unsafe ${name} ${JSON.stringify(dir)}`);
  }
  if (!/^[0-9a-f]{32,128}$/.test(o.secret)) throw new Error('the link secret is 32 to 128 hex digits');
  if (!/^([0-9.]+:|\[[0-9a-f:]+\]:)?[0-9]{1,5}$/.test(o.listen)) throw new Error(`bad listen address ${JSON.stringify(o.listen)}`);
  const root = o.root.replace(/\/+$/, '');
  const check = o.benchAnchorWithoutCheck
    ? []
    : [
        '      secure_link $arg_md5,$arg_expires;',
        `      secure_link_md5 "$secure_link_expires$uri ${o.secret}";`,
        '      # "" = bad or missing signature, "0" = expired: both look like a missing file',
        '      if ($secure_link != "1") { return 404; }',
      ];
  if (o.user !== undefined && !/^[a-z_][a-z0-9_-]{0,31}$/.test(o.user)) throw new Error(`bad user ${JSON.stringify(o.user)}`);
  return [
    '# Tiergate static-media nginx (apps/transcoder/src/static-media/nginx-config.ts). Generated: do not edit.',
    '# It holds the link secret: keep it readable by the nginx user only.',
    ...(o.user ? [`user ${o.user};`] : []),
    `worker_processes ${o.workers ?? 'auto'};`,
    `pid ${o.runDir}/nginx.pid;`,
    `error_log ${o.errorLog ?? `${o.runDir}/error.log`} warn;`,
    'daemon off;',
    'events { worker_connections 4096; }',
    'http {',
    `  client_body_temp_path ${o.runDir}/client_body;`,
    `  proxy_temp_path ${o.runDir}/proxy;`,
    `  fastcgi_temp_path ${o.runDir}/fastcgi;`,
    `  uwsgi_temp_path ${o.runDir}/uwsgi;`,
    `  scgi_temp_path ${o.runDir}/scgi;`,
    '  access_log off;',
    '  server_tokens off;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  keepalive_requests 100000;',
    '  keepalive_timeout 30s;',
    '  types { video/mp2t ts; video/iso.segment m4s; video/mp4 mp4; }',
    '  default_type application/octet-stream;',
    '  server {',
    `    listen ${o.listen};`,
    '    autoindex off;',
    '    location / { return 404; }',
    `    location ~ "^${prefix}/(?<file>[A-Za-z0-9_-]{1,64}/[A-Za-z0-9_-]{1,128}/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\\.(ts|m4s|mp4))$" {`,
    '      if ($request_method !~ ^(GET|HEAD)$) { return 404; }',
    ...check,
    `      alias ${root}/$file;`,
    '      add_header Cache-Control "private, max-age=60" always;',
    '      add_header Access-Control-Allow-Origin "*" always;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}
