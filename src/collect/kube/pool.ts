/**
 * Runs `task` over `items` with at most `limit` in flight, in order of start; after a task throws,
 * no new one starts and the first error is thrown. Ten lines by hand rather than a dependency:
 * p-limit and the like do the same, but add a package for one loop.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
