/** One page of a cursor-paginated list; pass `next_cursor` back as `cursor` for the next one. */
export interface Page<T> {
  data: T[];
  /** `null` on the last page. */
  next_cursor: string | null;
}
