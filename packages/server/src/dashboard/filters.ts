import { z } from 'zod';
import { invalidRequest } from '../errors.js';

/** An optional text filter: an empty field of a submitted form is no filter. */
export const optionalText = (max = 255) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value ? value : undefined));

/**
 * A page's query string through its schema.
 *
 * @throws ApiError `invalid_request`, naming the field, shown as a page.
 */
export function readFilters<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidRequest(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
