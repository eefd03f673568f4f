/**
 * Rejects an id that would change the meaning of the URL it goes into: an empty id turns
 * `GET /connections/:id` into `GET /connections`.
 */
export function assertId(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name} must be a non-empty string.`);
  }
}
