/** Options of {@link lineBatch}. */
export interface LineBatchOptions {
  /** Writes one chunk of whole lines. */
  write: (chunk: string) => void;
  /** Runs `flush` after the current event-loop turn. Default `setImmediate`. */
  schedule?: (flush: () => void) => void;
}

/** A sink that gathers lines and writes them together; {@link LineBatch.flush} writes now. */
export interface LineBatch {
  (line: string): void;
  /** Writes the lines gathered so far, if any. */
  flush(): void;
}

/**
 * Gathers the log lines of one event-loop turn and writes them in one chunk after it, where a
 * write per line was a system call per request. Lines are in the chunk in the order they came.
 * A clean stop loses none (the owner flushes at exit); a crash that skips the `exit` event
 * (SIGKILL, out of memory) loses the lines of the turn it happened in.
 */
export function lineBatch({ write, schedule = setImmediate }: LineBatchOptions): LineBatch {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    write(chunk);
  };
  const sink = (line: string) => {
    if (pending === '') schedule(flush);
    pending += `${line}\n`;
  };
  return Object.assign(sink, { flush });
}

let stdout: LineBatch | undefined;

/**
 * The one batch of standard output that every default logger shares, so their lines keep
 * their order. It is flushed on `exit`, when standard output is written synchronously (files,
 * pipes and terminals on Linux), so the last lines of a clean stop or an uncaught error are
 * kept.
 */
export function stdoutLines(): LineBatch {
  if (stdout) return stdout;
  const batch = lineBatch({ write: (chunk) => process.stdout.write(chunk) });
  process.on('exit', () => batch.flush());
  return (stdout = batch);
}
