/** A type guard: the shape every check of this package has, so they compose. */
export type Guard<T> = (value: unknown) => value is T;

export const isString: Guard<string> = (value): value is string => typeof value === 'string';

/** An id is never empty: an empty one would turn `/connections/:id` into `/connections`. */
export const isId: Guard<string> = (value): value is string => isString(value) && value.length > 0;

/** True for a plain JSON object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `value` has exactly the `required` keys plus any of the `optional` ones, all its
 * own: a key inherited through the prototype does not count, so it cannot stand in for one.
 */
export function hasExactKeys(
  value: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  const keys = Object.keys(value);
  return (
    required.every((key) => Object.hasOwn(value, key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key))
  );
}

/** True for an array whose every item passes `item`. */
export function isArrayOf<T>(value: unknown, item: Guard<T>): value is T[] {
  return Array.isArray(value) && value.every((entry) => item(entry));
}
