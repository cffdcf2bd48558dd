import { nginxStaticMediaConfig } from './nginx-config';

describe('nginxStaticMediaConfig', () => {
  const opts = { listen: '127.0.0.1:8091', root: '/var/lib/tiergate-hls', secret: 'ab'.repeat(32), runDir: '/tmp/media' };

  it('checks every segment request with secure_link against the signature the workers make, 404 for anything else', () => {
    const conf = nginxStaticMediaConfig({ ...opts, pathPrefix: '/media' });
    expect(conf).toContain('secure_link $arg_md5,$arg_expires;');
    expect(conf).toContain(`secure_link_md5 "$secure_link_expires$uri ${'ab'.repeat(32)}";`);
    expect(conf).toContain('if ($secure_link != "1") { return 404; }');
    expect(conf).toContain('location / { return 404; }');
    expect(conf).toContain('location ~ "^/media/(?<file>');
    expect(conf).toContain('alias /var/lib/tiergate-hls/$file;');
    expect(conf).toMatch(/sendfile on;/);
    expect(conf).toMatch(/autoindex off;/);
    expect(conf).not.toMatch(/m3u8/); // playlists only on the checked path
  });

  it('has no check only in the bench anchor', () => {
    expect(nginxStaticMediaConfig({ ...opts, benchAnchorWithoutCheck: true })).not.toContain('secure_link');
  });

  it('refuses values that would break out of the configuration', () => {
    for (const bad of [{ secret: 'x"; }' }, { root: '/a/../etc' }, { root: '/a b' }, { runDir: 'rel' }, { listen: '80; include /x' }, { pathPrefix: '/a b' }, { user: 'root;' }]) {
      expect(() => nginxStaticMediaConfig({ ...opts, ...bad })).toThrow();
    }
  });
});
