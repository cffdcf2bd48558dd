import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { readFileSync, statSync } from 'node:fs';
import { ConfigError, TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Basemap, parseBasemap } from './basemap';

/** Larger than this is refused at start-up: every console opening the map downloads the whole file. */
export const BASEMAP_MAX_BYTES = 20 * 1024 * 1024;
const KEY = 'TIERGATE__CONSOLE__BASEMAP_FILE (console.basemapFile)';

/**
 * The basemap the console draws under the boundaries (docs/map.md): read once at start-up from console.basemapFile
 * (a file that cannot be read, is too large or is not a valid basemap stops start-up naming the key), or, when none
 * is configured, one a composing process offers (the demo district's, apps/all-in-one).
 */
@Injectable()
export class ConsoleBasemap implements OnModuleInit {
  private readonly logger = new Logger('ConsoleBasemap');
  private basemap: Basemap | null = null;
  private body: string | null = null;

  constructor(@Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig) {}

  onModuleInit(): void {
    const file = this.config.console.basemapFile;
    if (!file) return;
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > BASEMAP_MAX_BYTES) throw new ConfigError([`${KEY} is ${size} bytes: at most ${BASEMAP_MAX_BYTES} (20 MiB)`]);
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError([`${KEY} cannot be read: ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
    const parsed = parseBasemap(text);
    if (!parsed.ok) throw new ConfigError(parsed.problems.map((p) => `${KEY} ${file}: ${p}`));
    this.set(parsed.basemap);
    this.logger.log(`basemap ${file}: ${parsed.basemap.features.length} features${parsed.skipped ? `, ${parsed.skipped} skipped (no street or landmark)` : ''}`);
  }

  /** Offers a basemap for when none is configured (the configured file wins); answers whether it is used. */
  offerDefault(basemap: Basemap): boolean {
    if (this.config.console.basemapFile) return false;
    this.set(basemap);
    return true;
  }

  /** The basemap as JSON text, or null without one. */
  json(): string | null {
    return this.body;
  }

  private set(basemap: Basemap): void {
    this.basemap = basemap;
    this.body = JSON.stringify(this.basemap);
  }
}
