/**
 * Pure: runs each camera's PTZ commands one after another, in the order they came, so a stop is never overtaken by
 * the move before it. A drag sends a move every few hundred milliseconds; a move still waiting when a newer command
 * for the same camera arrives is skipped (`superseded`), as only the newest velocity matters.
 */
export class PtzCommandQueue {
  private readonly lanes = new Map<string, { tail: Promise<unknown>; latest: number }>();
  private seq = 0;

  run<T>(key: string, command: () => Promise<T>, options: { skippable: boolean }): Promise<T | 'superseded'> {
    const lane = this.lanes.get(key) ?? { tail: Promise.resolve(), latest: 0 };
    const mine = ++this.seq;
    lane.latest = mine;
    const result = lane.tail.then<T | 'superseded'>(() => (options.skippable && lane.latest !== mine ? 'superseded' : command()));
    lane.tail = result.catch(() => undefined);
    this.lanes.set(key, lane);
    void lane.tail.then(() => {
      if (this.lanes.get(key) === lane && lane.latest === mine) this.lanes.delete(key);
    });
    return result;
  }

  /** Cameras with commands queued or running (for tests and metrics). */
  get busy(): number {
    return this.lanes.size;
  }
}
