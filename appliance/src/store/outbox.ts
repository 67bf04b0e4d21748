import type { Database as Db } from 'better-sqlite3';

export interface OutboxMessage {
  seq: number;
  alertId: string;
  topic: string;
  payload: string;
}

/**
 * The MQTT outbox: messages stay until the broker acknowledged them, across restarts. Its
 * statements are prepared once: alerts are queued and removed here one by one.
 */
export class Outbox {
  private readonly selectPending;
  private readonly insert;
  private readonly count;
  private readonly remove;

  constructor(db: Db) {
    this.selectPending = db.prepare('SELECT seq, alert_id AS alertId, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.insert = db.prepare('INSERT INTO outbox (alert_id, topic, payload, created) VALUES (?, ?, ?, ?)');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM outbox').pluck();
    this.remove = db.prepare('DELETE FROM outbox WHERE seq = ?');
  }

  /** The first `limit` messages waiting, oldest first; only those after `after` when given (seqs only grow). */
  pending(limit = 100, after = 0): OutboxMessage[] {
    return this.selectPending.all(after, limit) as OutboxMessage[];
  }

  /**
   * Queues a message: an alert's under its id, or another (a canary session's verdict) under a key
   * that de-duplicates like an alert id. Returns it as `pending` would, with the seq it was given.
   */
  enqueue(key: string, topic: string, payload: string, now: number): OutboxMessage {
    const seq = Number(this.insert.run(key, topic, payload, now).lastInsertRowid);
    return { seq, alertId: key, topic, payload };
  }

  /** Messages waiting for the broker. */
  size(): number {
    return this.count.get() as number;
  }

  /** Removes a message the broker acknowledged; returns 1, or 0 when it was already gone. */
  delivered(seq: number): number {
    return this.remove.run(seq).changes;
  }
}
