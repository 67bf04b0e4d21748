import { readFileSync } from 'node:fs';

/** A numeric field of /proc/PID/status (VmRSS and VmHWM in kB, Threads a count); 0 when absent. */
export function procStatus(pid: number, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

/** A process's resident memory in MB. */
export function rssMb(pid: number): number {
  return procStatus(pid, 'VmRSS') / 1024;
}
