import type { Services } from '../context.js';

/** What every page of the dashboard needs. */
export interface PageDeps {
  readonly services: Services;
  /** The dashboard's base path, e.g. `/dashboard`. */
  readonly base: string;
}
