import { setImmediate } from 'node:timers/promises';

/**
 * Lets the event loop serve what waits (arriving requests above all) before the caller goes
 * on. On SQLite every query completes synchronously, so a loop of awaited queries resolves in
 * microtasks alone, as one long turn of the loop: a background sweep that did not give way
 * between its statements would hold every request until it ended.
 */
export const giveWay = (): Promise<void> => setImmediate();
