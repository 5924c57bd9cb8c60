/**
 * Runs `work` on every item with at most `concurrency` at once and returns the results in
 * item order. Once `signal` aborts, items not yet started get `skipped(item)` instead.
 */
export async function runPool<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  skipped: (item: T) => R,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      results[index] = signal?.aborted ? skipped(item) : await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
