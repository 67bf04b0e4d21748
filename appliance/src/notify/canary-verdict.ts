import type { Database as Db } from 'better-sqlite3';
import type { SessionVerdict } from '../canary/verdict.js';
import { Outbox } from '../store/index.js';
import { topic } from './topics.js';

/**
 * Queues a canary session's final verdict for `<prefix>/<applianceId>/canary` (QoS 1, from the
 * durable outbox like alerts, so a broker that is down or a restart loses nothing).
 */
export function queueCanaryVerdict(db: Db, prefix: string, applianceId: string, verdict: SessionVerdict, now: number): void {
  new Outbox(db).enqueue(`canary:${verdict.session}`, topic(prefix, applianceId, 'canary'), JSON.stringify(verdict), now);
}
