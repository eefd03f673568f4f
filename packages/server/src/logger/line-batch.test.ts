import { describe, expect, it } from 'vitest';
import { lineBatch } from './line-batch.js';

/** A batch whose writes and scheduled flushes are recorded, to run when the test says. */
function recorded() {
  const chunks: string[] = [];
  const scheduled: (() => void)[] = [];
  const batch = lineBatch({
    write: (chunk) => chunks.push(chunk),
    schedule: (flush) => scheduled.push(flush),
  });
  return { batch, chunks, scheduled };
}

describe('the log line batch', () => {
  it('writes the lines of one turn in one chunk, in order, after the turn', () => {
    const { batch, chunks, scheduled } = recorded();
    batch('a');
    batch('b');
    expect(chunks).toEqual([]);
    expect(scheduled).toHaveLength(1);
    scheduled[0]?.();
    expect(chunks).toEqual(['a\nb\n']);
  });

  it('writes what it holds at once on flush, and nothing twice', () => {
    const { batch, chunks, scheduled } = recorded();
    batch('a');
    batch.flush();
    scheduled[0]?.();
    expect(chunks).toEqual(['a\n']);
  });

  it('schedules anew for the lines after a flush', () => {
    const { batch, chunks, scheduled } = recorded();
    batch('a');
    scheduled[0]?.();
    batch('b');
    expect(scheduled).toHaveLength(2);
    scheduled[1]?.();
    expect(chunks).toEqual(['a\n', 'b\n']);
  });

  it('flushes after the turn with the default schedule', async () => {
    const chunks: string[] = [];
    const batch = lineBatch({ write: (chunk) => chunks.push(chunk) });
    batch('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toEqual(['a\n']);
  });
});
