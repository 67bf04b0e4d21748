import type { CaptureStats } from './live-capture.js';

/** Drops are said at most this often, so a long overload is one line a minute, not a flood. */
const SAY_EVERY_MS = 60_000;

const mib = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MiB`;

/**
 * Watches the kernel's drop counter of the capture: packets dropped for want of room in the ring
 * are missing from the evidence and the byte counts, so the user hears of it with what to do.
 */
export class DropWatch {
  private said = 0;
  private saidAt = -Infinity;

  constructor(private readonly bufferBytes: number) {}

  /** The line to log when packets were dropped since the last one said, at most once a minute. */
  check(stats: CaptureStats, now: number): string | undefined {
    if (stats.dropped <= this.said || now - this.saidAt < SAY_EVERY_MS) return undefined;
    const fresh = stats.dropped - this.said;
    const since = Number.isFinite(this.saidAt) ? ` in the last ${Math.round((now - this.saidAt) / 1000)} s` : '';
    this.said = stats.dropped;
    this.saidAt = now;
    return `the kernel dropped ${fresh} captured packet${fresh === 1 ? '' : 's'}${since} (${stats.dropped} of ${stats.received} since capture began) because its ring was full: the evidence and byte counts miss them; raise capture.bufferBytes (now ${mib(this.bufferBytes)})`;
  }
}
