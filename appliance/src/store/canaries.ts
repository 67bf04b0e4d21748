import { randomBytes } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';

export interface CanaryTest {
  /** The planted token, e.g. `lwc-k7q2m9xa`: found in a request to a third party, it proves a leak. */
  token: string;
  created: number;
  note: string | null;
  /** Proven alerts raised on it so far. */
  alerts: number;
  /** When it was last seen leaving the phone (epoch ms). */
  lastSeen: number | null;
}

/** Lower-case letters and digits without look-alikes (no 0/o, 1/l/i): easy to type on a phone. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** The canaries table: tests the user started by planting a token in the phone's browser. */
export class CanaryStore {
  constructor(private readonly db: Db) {}

  create(note: string | null, now: number): CanaryTest {
    const token = `lwc-${Array.from(randomBytes(8), (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
    this.db.prepare('INSERT INTO canaries (token, created, note) VALUES (?, ?, ?)').run(token, now, note);
    return { token, created: now, note, alerts: 0, lastSeen: null };
  }

  list(): CanaryTest[] {
    return this.db.prepare(`SELECT c.token, c.created, c.note,
        (SELECT COUNT(*) FROM alerts a WHERE a.kind = 'canary' AND a.value = c.token) AS alerts,
        (SELECT MAX(a.time) FROM alerts a WHERE a.kind = 'canary' AND a.value = c.token) AS lastSeen
      FROM canaries c ORDER BY c.created DESC, c.token`).all() as CanaryTest[];
  }

  has(token: string): boolean {
    return this.db.prepare('SELECT 1 FROM canaries WHERE token = ?').get(token) !== undefined;
  }

  tokens(): string[] {
    return (this.db.prepare('SELECT token FROM canaries').all() as { token: string }[]).map((r) => r.token);
  }

  /** False when there was no such test. Its alerts stay: they are evidence. */
  remove(token: string): boolean {
    return this.db.prepare('DELETE FROM canaries WHERE token = ?').run(token).changes > 0;
  }
}
