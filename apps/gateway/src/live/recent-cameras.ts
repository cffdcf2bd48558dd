import type { CameraRecord } from '@tiergate/persistence';

/** How long a camera row read for POST /live is used again without reading it (change notices end it sooner). */
export const RECENT_CAMERA_MAX_AGE_MS = 30_000;

/**
 * The camera rows POST /live read recently, so a tile opened again on a running session does not queue a SELECT
 * behind every other query of the process (embedded PGlite has one connection: 80-160 ms measured during a page
 * load, nearly all of a warm answer). A row is used for at most `maxAgeMs`, and forgotten at once when a
 * camerasChanged notice names it (or names too many to list) and on every jurisdictionsChanged (a tree import moves
 * cameras). A missed notice (the bus down) leaves a row at most `maxAgeMs` old; the stream tokens handed out
 * are good for longer than that anyway and do not check scope again (only grants). Missing cameras are not kept.
 * Concurrent reads of one id share one SELECT; a read that started before a notice does not fill the cache.
 * Framework-free: the reader and the clock are given.
 */
export class RecentCameras {
  private readonly rows = new Map<string, { camera: CameraRecord; at: number }>();
  private readonly reading = new Map<string, Promise<CameraRecord | undefined>>();
  private generation = 0;

  constructor(
    private readonly read: (id: string) => Promise<CameraRecord | undefined>,
    private readonly maxAgeMs = RECENT_CAMERA_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Promise<CameraRecord | undefined> {
    const kept = this.rows.get(id);
    if (kept && this.now() - kept.at < this.maxAgeMs) return Promise.resolve(kept.camera);
    const pending = this.reading.get(id);
    if (pending) return pending;
    const generation = this.generation;
    const at = this.now();
    const reading = this.read(id)
      .then((camera) => {
        if (camera && generation === this.generation) this.rows.set(id, { camera, at });
        else this.rows.delete(id);
        return camera;
      })
      .finally(() => this.reading.delete(id));
    this.reading.set(id, reading);
    return reading;
  }

  /** Forgets these cameras, or all of them (`undefined`); reads under way no longer fill the cache. */
  forget(ids?: readonly string[]): void {
    this.generation++;
    this.reading.clear();
    if (ids === undefined) this.rows.clear();
    else for (const id of ids) this.rows.delete(id);
  }
}
