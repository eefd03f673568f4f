// autocannon ships no types; this declares the part of its programmatic API the bench uses.
declare module 'autocannon' {
  /** Options of one load run (the subset the bench sets). */
  interface Options {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Worker threads firing the requests, so that the load generator has its own thread. */
    workers?: number;
    /** Requests per second over all connections (0: unbounded). */
    overallRate?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
  }

  /** The summary of a finished run. */
  interface Result {
    /** Seconds the run actually took. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
