import type { ChinaLinkPolicy } from '../intel/index.js';
import type { Alert, Attribution, Flow, PlantedCanary, WebTracker } from '../model/index.js';
import type { AlertQuery, OutboxMessage, RetentionPolicy, RetentionResult } from '../store/index.js';
import type { StageCosts } from './stage-costs.js';

/**
 * A change to the tables the inspection thread alone writes — flows, alerts and the MQTT outbox —
 * asked for by another thread: the admin acknowledging alerts, the publisher's deliveries, a
 * canary verdict to send, the retention policy.
 */
export type StoreWrite =
  | { kind: 'acknowledge'; alert: string }
  | { kind: 'acknowledge-all'; query: Pick<AlertQuery, 'device' | 'chinaLinked' | 'severities'> }
  /** Outbox messages the broker acknowledged. */
  | { kind: 'delivered'; seqs: number[] }
  /** A message that is not an alert (a canary session's verdict); `key` de-duplicates like an alert id. */
  | { kind: 'enqueue'; key: string; topic: string; payload: string; now: number }
  | { kind: 'retention'; policy: RetentionPolicy; now: number };

/** What a write did: rows changed, or what the retention removed. */
export type WriteResult = number | RetentionResult;

/** What the inspection worker is started with (structured-cloned into the thread). */
export interface InspectionSetup {
  /** The appliance database; the worker opens its own connection and is its only writer of flows and alerts. */
  databasePath: string;
  /** `--intel` overlay files, loaded in the worker, where the detector runs. */
  overlayFiles: readonly string[];
  /** Which hosted-in reasons decide china-linked (config `intel.hostedIn…`). */
  policy?: ChinaLinkPolicy;
  /** MQTT topic alerts are queued for in the outbox; none when MQTT is off. */
  alertTopic: string | undefined;
}

export type ToWorker =
  | { type: 'flows'; flows: Flow[] }
  /** A canary to watch for, or to stop watching (the thread also reads the watched ones at start). */
  | { type: 'canary'; action: 'add' | 'remove'; canary: PlantedCanary }
  /** Who the addresses belong to (the intel tables live on this thread); answered by `attributed` with the same id. */
  | { type: 'attribute'; id: number; ips: string[] }
  /** The detector's web trackers (pages reporting themselves to third parties); answered by `web-trackers` with the same id. */
  | { type: 'web-trackers'; id: number }
  /** Where the thread's time went, per stage; answered by `stage-costs` with the same id. */
  | { type: 'stage-costs'; id: number }
  /** A write to its tables, after committing what is queued; answered by `written` with the same id. */
  | { type: 'write'; id: number; write: StoreWrite }
  /** Commit what is queued; answered by `written` with the same id once the alerts are sent. */
  | { type: 'flush'; id: number }
  /** Commit what is queued, close the database, then answer `closed`. */
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** Alerts whose batch is committed: safe to show and deliver; `queued`: their MQTT messages, in outbox order. */
  | { type: 'alerts'; alerts: Alert[]; queued: OutboxMessage[] }
  /** A message queued for MQTT by a write (a canary verdict), sent before the write's answer. */
  | { type: 'queued'; messages: OutboxMessage[] }
  /** How many flows of the backlog the worker has taken in, so the sender can count what is in flight. */
  | { type: 'taken'; count: number; bytes: number }
  | { type: 'problem'; message: string }
  /** The answer to `attribute`: one attribution per address, in the order asked. */
  | { type: 'attributed'; id: number; destinations: Attribution[] }
  | { type: 'web-trackers'; id: number; trackers: WebTracker[] }
  | { type: 'stage-costs'; id: number; costs: StageCosts }
  /** The answer to `write` or `flush`; `error` when the write failed (nothing of it was kept). */
  | { type: 'written'; id: number; result?: WriteResult; error?: string }
  | { type: 'closed' };
