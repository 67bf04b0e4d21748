import type { Database as Db } from 'better-sqlite3';

/** A time leakwatch was not running: nothing was inspected (phones kept their internet). */
export interface Downtime {
  start: number;
  end: number;
  /** stopped: a clean stop (or a restart); crashed: it died or the machine lost power, so `start` is its last sign of life. */
  reason: 'stopped' | 'crashed';
}

/** Gaps shorter than this are a restart's own seconds, not worth telling. */
const SHORTEST_MS = 30_000;
const ALIVE = 'alive_at';
const STOPPED = 'stopped_at';

/**
 * The downtime table and leakwatch's last signs of life (settings): on each start, the gap since
 * the previous run's last sign becomes a downtime row. Written by the main thread only.
 */
export class DowntimeLog {
  constructor(private readonly db: Db) {}

  /** At start: records the gap since the previous run, if there was one worth telling; returns it. */
  started(now: number): Downtime | undefined {
    const stopped = this.setting(STOPPED);
    const alive = this.setting(ALIVE);
    const since = stopped ?? alive;
    this.db.prepare('DELETE FROM settings WHERE key IN (?, ?)').run(STOPPED, ALIVE);
    this.alive(now);
    if (since === undefined || now - since < SHORTEST_MS) return undefined;
    const gap: Downtime = { start: since, end: now, reason: stopped !== undefined ? 'stopped' : 'crashed' };
    this.db.prepare('INSERT INTO downtime (start, end, reason) VALUES (?, ?, ?)').run(gap.start, gap.end, gap.reason);
    return gap;
  }

  /** A sign of life (every minute): a crash is dated to the last one. */
  alive(now: number): void {
    this.put(ALIVE, now);
  }

  /** A clean stop, dated exactly. */
  stopped(now: number): void {
    this.put(STOPPED, now);
  }

  /** Forgets downtime that ended before `cutoff` (the retention policy's age, as for flows and alerts). */
  prune(cutoff: number): number {
    return this.db.prepare('DELETE FROM downtime WHERE end < ?').run(cutoff).changes;
  }

  /** Downtime that ended after `since`, newest first. */
  since(since: number): Downtime[] {
    return this.db.prepare('SELECT start, end, reason FROM downtime WHERE end >= ? ORDER BY end DESC LIMIT 50').all(since) as Downtime[];
  }

  private put(key: string, value: number): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, String(value));
  }

  private setting(key: string): number | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? Number(row.value) : undefined;
  }
}
