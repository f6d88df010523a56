import os from 'node:os';

/**
 * The one way work is bounded in flight: renders (one per core), file reads, cluster requests.
 * `limiter(n)` runs at most `n` tasks at once and queues the rest in order; `mapConcurrent` maps a
 * list through it, keeping the input order in the results.
 */

export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** At most `n` tasks at once; the rest wait in order. */
export function limiter(n: number): Limit {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= n) return;
    const run = queue.shift();
    if (run) {
      active++;
      run();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        // A task that throws before returning its promise still gives its slot back.
        new Promise<T>((run) => run(task())).then(resolve, reject).finally(() => {
          active--;
          next();
        });
      });
      next();
    });
}

/** Run `work` over `items` with at most `limit` in flight; results keep the input order. */
export function mapConcurrent<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  limit: number = defaultConcurrency(),
): Promise<R[]> {
  const bounded = limiter(Math.max(1, limit));
  return Promise.all(items.map((item, i) => bounded(() => work(item, i))));
}

/** One render per core: helm and kustomize are CPU-bound and single-threaded per call. */
export function defaultConcurrency(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}
