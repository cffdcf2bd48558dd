import { createHash } from 'node:crypto';
import { mediaLinkQuery, mediaLinkSecretOf, mediaLinkSignature } from './media-link';

describe('static-media link signature (nginx secure_link_md5 "$secure_link_expires$uri <secret>")', () => {
  it('is nginx\'s own documented example: base64url MD5 without padding', () => {
    // nginx docs (ngx_http_secure_link_module): echo -n '2147483647/s/link127.0.0.1 secret' | openssl md5 -binary
    // | openssl base64 | tr +/ -_ | tr -d =  →  _e4Nc3iduzkWRm01TBBNYw
    expect(mediaLinkSignature('/s/link127.0.0.1', 2147483647, 'secret')).toBe('_e4Nc3iduzkWRm01TBBNYw');
  });

  it('puts it in the query nginx reads ($arg_md5, $arg_expires)', () => {
    const uri = '/media/w1/cam-main/seg_17.ts';
    const md5 = createHash('md5').update(`1700000000${uri} abc`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(mediaLinkQuery(uri, 1700000000, 'abc')).toBe(`md5=${md5}&expires=1700000000`);
    expect(mediaLinkQuery(uri, 1700000000, 'abc')).not.toMatch(/[=+/]&|=$/);
  });

  it('binds the path and the expiry: another file, camera or expiry signs differently', () => {
    const s = (uri: string, exp = 1700000000) => mediaLinkSignature(uri, exp, 'k');
    const base = s('/w1/camA-main/seg_1.ts');
    expect(new Set([base, s('/w1/camB-main/seg_1.ts'), s('/w1/camA-sub/seg_1.ts'), s('/w1/camA-main/seg_2.ts'), s('/w1/camA-main/seg_1.ts', 1700000001)]).size).toBe(5);
  });

  it('refuses a relative URI and an expiry that is not whole seconds', () => {
    expect(() => mediaLinkSignature('seg_1.ts', 1, 'k')).toThrow();
    expect(() => mediaLinkSignature('/a.ts', 1.5, 'k')).toThrow();
  });

  it('derives the secret from the shared key with a label: 64 hex digits, stable, never the key, one per key', () => {
    const a = mediaLinkSecretOf('a-secret-key-of-16+chars');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(mediaLinkSecretOf('a-secret-key-of-16+chars')).toBe(a);
    expect(a).not.toContain(Buffer.from('a-secret-key-of-16+chars').toString('hex'));
    expect(mediaLinkSecretOf('another-secret-key-16+')).not.toBe(a);
    expect(() => mediaLinkSecretOf('')).toThrow();
  });
});
