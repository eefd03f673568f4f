// What Linux tells about another process without its cooperation, so that the servers run
// unmodified. Linux only.
import { readFileSync } from 'node:fs';

/** The main thread's scheduler counters, from `/proc/<pid>/task/<pid>/schedstat`. */
export interface ThreadTimes {
  /** Nanoseconds on a CPU (field 1). */
  cpuNs: number;
  /** Nanoseconds runnable but waiting on a run queue (field 2): the machine was busy. */
  waitNs: number;
  /** Clock ticks blocked on block I/O (`delayacct_blkio_ticks`, field 42 of `stat`); 0 unless kernel.task_delayacct is on. */
  blkioTicks: number;
  /** `performance.now()` when read. */
  wallMs: number;
}

/**
 * The main thread only: it runs the event loop, the SQL (better-sqlite3 is synchronous) and
 * the JavaScript; libuv's pool and V8's GC and compiler threads are left out, which keeps the
 * figure from moving with how busy those helpers happened to be.
 */
export function threadTimes(pid: number): ThreadTimes {
  const [cpu, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its last ')' (field 3 on).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    cpuNs: Number(cpu),
    waitNs: Number(wait),
    blkioTicks: Number(fields[42 - 3] ?? 0),
    wallMs: performance.now(),
  };
}

/** Whether the kernel counts block-I/O delay per task (`blkioTicks` is meaningful). */
export function delayAccounting(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/task_delayacct', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Resident set size of the whole process, in bytes (`VmRSS` of `/proc/<pid>/status`). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kB) throw new Error(`cannot read the RSS of process ${pid}`);
  return Number(kB) * 1024;
}
