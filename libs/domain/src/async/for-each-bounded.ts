/** Runs `work` over `items` with at most `concurrency` at once; stops taking new items once `signal` aborts. */
export async function forEachBounded<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const it = items[Symbol.iterator]();
  const lane = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const next = it.next();
      if (next.done) return;
      await work(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
}
