import type { Database as Db } from 'better-sqlite3';

export interface RetentionPolicy {
  /** Delete flows and alerts older than this many days. */
  maxAgeDays: number;
  /** Keep the database under this many bytes, oldest flows first, then oldest alerts. */
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 90, maxBytes: 1024 * 1024 * 1024 };

export interface RetentionResult {
  flowsDeleted: number;
  alertsDeleted: number;
  bytes: number;
}

function databaseBytes(db: Db): number {
  const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  return pages * (db.pragma('page_size', { simple: true }) as number);
}

/**
 * Applies the policy to flows and alerts at time `now`, so the SD card never fills; returns what it
 * removed. Run by their writer, the inspection thread (the downtime log prunes its own table).
 */
export function applyRetention(db: Db, policy: RetentionPolicy, now: number): RetentionResult {
  const cutoff = now - policy.maxAgeDays * 24 * 3600 * 1000;
  let flowsDeleted = db.prepare('DELETE FROM flows WHERE time < ?').run(cutoff).changes;
  let alertsDeleted = db.prepare('DELETE FROM alerts WHERE time < ?').run(cutoff).changes;
  // Alerts are the evidence people come for: flows go first when space runs short.
  for (const table of ['flows', 'alerts'] as const) {
    while (databaseBytes(db) > policy.maxBytes) {
      const removed = db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} ORDER BY time LIMIT 500)`).run().changes;
      if (removed === 0) break;
      if (table === 'flows') flowsDeleted += removed;
      else alertsDeleted += removed;
    }
  }
  db.pragma('incremental_vacuum');
  return { flowsDeleted, alertsDeleted, bytes: databaseBytes(db) };
}
