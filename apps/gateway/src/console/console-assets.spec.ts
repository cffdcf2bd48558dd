import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAssetCatalogue, isReservedPath, locateConsoleDir, resolveConsoleRequest } from './console-assets';

describe('console assets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tg-console-'));
    mkdirSync(join(dir, 'apps', 'gateway', 'console'), { recursive: true });
    const consoleDir = join(dir, 'apps', 'gateway', 'console');
    writeFileSync(join(consoleDir, 'index.html'), '<html></html>');
    writeFileSync(join(consoleDir, 'app.js'), '');
    writeFileSync(join(consoleDir, '.secret.js'), '');
    writeFileSync(join(consoleDir, 'notes.md'), '');
    mkdirSync(join(consoleDir, 'sub'));
    writeFileSync(join(consoleDir, 'sub', 'hidden.js'), '');
    mkdirSync(join(consoleDir, 'i18n'));
    writeFileSync(join(consoleDir, 'i18n', 'en.js'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const catalogue = () => buildAssetCatalogue(join(dir, 'apps', 'gateway', 'console'));

  it('lists the console files of known types, the language tables and exactly the allowed vendor files', () => {
    const keys = [...catalogue().keys()].sort();
    expect(keys).toEqual([
      '/app.js',
      '/i18n/en.js',
      '/index.html',
      '/vendor/hls.min.js',
      '/vendor/leaflet.markercluster/MarkerCluster.css',
      '/vendor/leaflet.markercluster/leaflet.markercluster.js',
      '/vendor/leaflet/images/layers-2x.png',
      '/vendor/leaflet/images/layers.png',
      '/vendor/leaflet/images/marker-icon-2x.png',
      '/vendor/leaflet/images/marker-icon.png',
      '/vendor/leaflet/images/marker-shadow.png',
      '/vendor/leaflet/leaflet.css',
      '/vendor/leaflet/leaflet.js',
    ]);
    expect(catalogue().get('/vendor/leaflet/leaflet.css')!.contentType).toMatch(/^text\/css/);
  });

  it('answers exact paths, the shell for client routes, and nothing for reserved or unknown files', () => {
    const assets = catalogue();
    expect(resolveConsoleRequest(assets, '/', true)?.file).toMatch(/index\.html$/);
    expect(resolveConsoleRequest(assets, '/app.js', false)?.file).toMatch(/app\.js$/);
    expect(resolveConsoleRequest(assets, '/wall/7', true)?.file).toMatch(/index\.html$/);
    expect(resolveConsoleRequest(assets, '/wall/7', false)).toBeUndefined();
    expect(resolveConsoleRequest(assets, '/missing.js', true)).toBeUndefined();
    expect(resolveConsoleRequest(assets, '/vendor/../package.json', true)).toBeUndefined();
    expect(resolveConsoleRequest(assets, '/.secret.js', true)).toBeUndefined();
    for (const p of ['/api', '/api/cameras', '/metrics', '/hls/x/sub/index.m3u8', '/live/x/sub/mse']) expect(resolveConsoleRequest(assets, p, true)).toBeUndefined();
    expect(isReservedPath('/apiary')).toBe(false);
  });

  it('finds the console beside the sources or from the working directory', () => {
    expect(locateConsoleDir(join(dir, 'apps', 'gateway', 'src', 'console'), '/nowhere')).toBe(join(dir, 'apps', 'gateway', 'console'));
    expect(locateConsoleDir(join(dir, 'dist', 'apps', 'gateway', 'src', 'console'), dir)).toBe(join(dir, 'apps', 'gateway', 'console'));
    expect(() => locateConsoleDir('/nowhere/a/b', '/nowhere')).toThrow(/console files not found/);
  });
});
