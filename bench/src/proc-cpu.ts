import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// utime and stime in /proc/<pid>/stat count clock ticks; the tick length is a kernel setting.
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, every thread) another process has used so far, read from
 * `/proc/<pid>/stat` (Linux). The process need not cooperate, so it runs unmodified.
 */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime), numbered from 1 with pid and comm as 1 and 2.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`cannot read the CPU time of process ${pid}`);
  }
  return (utime + stime) / ticksPerSecond;
}
