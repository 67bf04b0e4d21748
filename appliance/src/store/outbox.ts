import type { Database as Db } from 'better-sqlite3';

export interface OutboxMessage {
  seq: number;
  alertId: string;
  topic: string;
  payload: string;
}

/** The MQTT outbox: messages stay until the broker acknowledged them, across restarts. */
export class Outbox {
  constructor(private readonly db: Db) {}

  /** The first `limit` messages waiting, oldest first; only those after `after` when given (seqs only grow). */
  pending(limit = 100, after = 0): OutboxMessage[] {
    return this.db.prepare('SELECT seq, alert_id AS alertId, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit) as OutboxMessage[];
  }

  /** Queues a message that is not an alert (a canary session's verdict); `key` de-duplicates like an alert id. */
  enqueue(key: string, topic: string, payload: string, now: number): OutboxMessage {
    const seq = Number(this.db.prepare('INSERT INTO outbox (alert_id, topic, payload, created) VALUES (?, ?, ?, ?)').run(key, topic, payload, now).lastInsertRowid);
    return { seq, alertId: key, topic, payload };
  }

  /** Messages waiting for the broker. */
  size(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** Removes a message the broker acknowledged; returns 1, or 0 when it was already gone. */
  delivered(seq: number): number {
    return this.db.prepare('DELETE FROM outbox WHERE seq = ?').run(seq).changes;
  }
}
