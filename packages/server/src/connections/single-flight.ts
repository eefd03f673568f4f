/**
 * One run per key at a time within this process: a caller arriving while a run for its key is
 * in flight shares that run's outcome instead of starting another.
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** The in-flight run for `key`, or a new one of `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running;
    const started = work().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }
}
