import type { SessionVerdict } from '../canary/verdict.js';
import type { StoreWrite } from '../inspect/messages.js';
import { topic } from './topics.js';

/**
 * A canary session's final verdict as an outbox message for `<prefix>/<applianceId>/canary` (QoS 1,
 * from the durable outbox like alerts, so a broker that is down or a restart loses nothing); the
 * inspection thread, the outbox's writer, queues it.
 */
export function canaryVerdictMessage(prefix: string, applianceId: string, verdict: SessionVerdict, now: number): StoreWrite {
  return { kind: 'enqueue', key: `canary:${verdict.session}`, topic: topic(prefix, applianceId, 'canary'), payload: JSON.stringify(verdict), now };
}
