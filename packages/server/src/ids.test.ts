import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.js';

describe('newId', () => {
  it('makes prefixed ids that sort by creation time', () => {
    const ids = [1, 2, 1_000, 1_700_000_000_000].map((ms) => newId('conn', ms));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(isId('conn', id)).toBe(true);
    expect(isId('sess', ids[0] ?? '')).toBe(false);
  });

  it('does not repeat within one millisecond, and keeps the order of creation', () => {
    const ids = Array.from({ length: 1000 }, () => newId('log', 42));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });
});
