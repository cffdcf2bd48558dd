/** A camera's node (null: not placed in the tree), as the scope check needs it. */
export interface CameraPlacement {
  id: string;
  jurisdictionId: string | null;
}

export interface PlacementReader {
  all(): Promise<CameraPlacement[]>;
  some(ids: readonly string[]): Promise<CameraPlacement[]>;
}

/**
 * cameraId → jurisdictionId for every camera, held in memory so that filtering an event for each open stream
 * costs no query. Loaded whole once; the cameras a camerasChanged notice names are read again (one query
 * per notice), everything on a notice that does not list them all and on every jurisdictionsChanged (a tree
 * import moves cameras). A camera not known (created between a status and its notice) is read once, shared
 * by every caller; a missing one is remembered as missing until the next notice. Framework-free.
 */
export class CameraPlacements {
  private readonly nodes = new Map<string, string | null>();
  private readonly missing = new Set<string>();
  private readonly reading = new Map<string, Promise<string | null | undefined>>();
  private loaded?: Promise<void>;
  private generation = 0;

  constructor(private readonly reader: PlacementReader) {}

  /** Loads every camera (at start, and again after `forgetAll`). */
  load(): Promise<void> {
    return (this.loaded ??= this.reader.all().then(
      (rows) => {
        this.nodes.clear();
        for (const r of rows) this.nodes.set(r.id, r.jurisdictionId);
      },
      (e) => {
        this.loaded = undefined;
        throw e;
      },
    ));
  }

  /** The camera's node (null: unplaced), or undefined when there is no such camera. */
  async nodeOf(cameraId: string): Promise<string | null | undefined> {
    await this.load();
    if (this.nodes.has(cameraId)) return this.nodes.get(cameraId);
    if (this.missing.has(cameraId)) return undefined;
    const pending = this.reading.get(cameraId);
    if (pending) return pending;
    const generation = this.generation;
    const reading = this.reader
      .some([cameraId])
      .then(([row]) => {
        if (generation === this.generation) {
          if (row) this.nodes.set(cameraId, row.jurisdictionId);
          else this.missing.add(cameraId);
        }
        return row ? row.jurisdictionId : undefined;
      })
      .finally(() => this.reading.delete(cameraId));
    this.reading.set(cameraId, reading);
    return reading;
  }

  /** The placements known now of these ids (no read): what a deleted camera was, before `refresh`. */
  known(ids: readonly string[]): CameraPlacement[] {
    return ids.filter((id) => this.nodes.has(id)).map((id) => ({ id, jurisdictionId: this.nodes.get(id)! }));
  }

  /** Every camera id known with its node (the retained statuses are sent for these on connect). */
  entries(): IterableIterator<[string, string | null]> {
    return this.nodes.entries();
  }

  /** Reads these cameras again (one query); deleted ones are dropped. */
  async refresh(ids: readonly string[]): Promise<void> {
    await this.load();
    this.generation++;
    for (const id of ids) this.missing.delete(id);
    const rows = await this.reader.some(ids);
    const found = new Map(rows.map((r) => [r.id, r.jurisdictionId]));
    for (const id of ids) {
      if (found.has(id)) this.nodes.set(id, found.get(id)!);
      else this.nodes.delete(id);
    }
  }

  /** Forgets everything: the next use loads all cameras again. */
  async reloadAll(): Promise<void> {
    this.generation++;
    this.missing.clear();
    this.loaded = undefined;
    await this.load();
  }
}
