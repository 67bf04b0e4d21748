import { randomBytes } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';
import type { RoundSecrets } from '../canary/round-canaries.js';

/** What the capture had counted of a device's blind spots when a round opened (to count those during it). */
export type BlindCounts = Record<string, { quicPackets: number; dnsOverTlsAttempts: number }>;

export interface CanaryRound extends RoundSecrets {
  n: number;
  /** What the user chose: normal, incognito, private, or their own words. */
  mode: string;
  opened: number;
  closed: number | null;
  /** When the canary page was first opened, and by which device. */
  visited: number | null;
  visitedBy: string | null;
  blindStart: BlindCounts | null;
}

export interface CanarySession {
  id: string;
  created: number;
  /** The app under test, in the user's words ("Mint Browser 3.4"). */
  app: string;
  /** The device under test; null: any device on the hotspot. */
  device: string | null;
  /** How long after a round closes its canaries are still watched for. */
  watchMs: number;
  closed: number | null;
  finalized: number | null;
  /** The verdict as JSON, kept once the watch window ended. */
  report: string | null;
  rounds: CanaryRound[];
}

interface RoundRow {
  session_id: string;
  n: number;
  mode: string;
  opened: number;
  closed: number | null;
  host_token: string;
  path_token: string;
  phrase: string;
  visited: number | null;
  visited_by: string | null;
  blind_start: string | null;
}

const round = (r: RoundRow): CanaryRound => ({
  n: r.n, mode: r.mode, opened: r.opened, closed: r.closed, hostToken: r.host_token, pathToken: r.path_token, phrase: r.phrase,
  visited: r.visited, visitedBy: r.visited_by, blindStart: r.blind_start ? (JSON.parse(r.blind_start) as BlindCounts) : null,
});

/** The canary_sessions and canary_rounds tables (the main thread writes them; the inspection thread reads what to watch). */
export class CanarySessionStore {
  constructor(private readonly db: Db) {}

  create(app: string, device: string | null, watchMs: number, now: number): CanarySession {
    const id = `cs-${randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
    this.db.prepare('INSERT INTO canary_sessions (id, created, app, device, watch_ms) VALUES (?, ?, ?, ?, ?)').run(id, now, app, device, watchMs);
    return this.get(id)!;
  }

  get(id: string): CanarySession | undefined {
    const row = this.db.prepare('SELECT id, created, app, device, watch_ms AS watchMs, closed, finalized, report FROM canary_sessions WHERE id = ?').get(id) as Omit<CanarySession, 'rounds'> | undefined;
    if (!row) return undefined;
    const rounds = (this.db.prepare('SELECT * FROM canary_rounds WHERE session_id = ? ORDER BY n').all(id) as RoundRow[]).map(round);
    return { ...row, rounds };
  }

  /** Newest first. */
  list(limit = 50): CanarySession[] {
    return (this.db.prepare('SELECT id FROM canary_sessions ORDER BY created DESC LIMIT ?').all(limit) as { id: string }[]).map((r) => this.get(r.id)!);
  }

  /** Closes the open round (if any) and opens the next one with fresh secrets. */
  openRound(id: string, mode: string, secrets: RoundSecrets, blindStart: BlindCounts | null, now: number): CanaryRound {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE canary_rounds SET closed = ? WHERE session_id = ? AND closed IS NULL').run(now, id);
      const n = (this.db.prepare('SELECT COALESCE(MAX(n), 0) + 1 AS n FROM canary_rounds WHERE session_id = ?').get(id) as { n: number }).n;
      this.db.prepare(`INSERT INTO canary_rounds (session_id, n, mode, opened, host_token, path_token, phrase, blind_start)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(id, n, mode, now, secrets.hostToken, secrets.pathToken, secrets.phrase, blindStart ? JSON.stringify(blindStart) : null);
      return this.get(id)!.rounds.at(-1)!;
    })();
  }

  /** Closes the open round; false when none was open. */
  closeRound(id: string, now: number): boolean {
    return this.db.prepare('UPDATE canary_rounds SET closed = ? WHERE session_id = ? AND closed IS NULL').run(now, id).changes > 0;
  }

  /** Ends the session (and its open round): its last watch window starts now. */
  close(id: string, now: number): void {
    this.db.transaction(() => {
      this.closeRound(id, now);
      this.db.prepare('UPDATE canary_sessions SET closed = COALESCE(closed, ?) WHERE id = ?').run(now, id);
    })();
  }

  /** The round whose page has this host token. */
  roundOf(hostToken: string): { session: CanarySession; round: CanaryRound } | undefined {
    const row = this.db.prepare('SELECT session_id, n FROM canary_rounds WHERE host_token = ?').get(hostToken) as { session_id: string; n: number } | undefined;
    if (!row) return undefined;
    const session = this.get(row.session_id)!;
    return { session, round: session.rounds.find((r) => r.n === row.n)! };
  }

  /** Notes the first visit of a round's page, and by which device. */
  visit(session: string, n: number, device: string, now: number): void {
    this.db.prepare('UPDATE canary_rounds SET visited = COALESCE(visited, ?), visited_by = COALESCE(visited_by, ?) WHERE session_id = ? AND n = ?').run(now, device, session, n);
  }

  /** Keeps the verdict: the session's watch is over. */
  finalize(id: string, report: string, now: number): void {
    this.db.prepare('UPDATE canary_sessions SET finalized = ?, report = ? WHERE id = ?').run(now, report, id);
  }

  /** Sessions whose canaries are still watched: not finalized. */
  unfinished(): CanarySession[] {
    return (this.db.prepare('SELECT id FROM canary_sessions WHERE finalized IS NULL ORDER BY created').all() as { id: string }[]).map((r) => this.get(r.id)!);
  }
}
