import type { Alert, Flow } from '../model/index.js';
import type { AlertStore, Recorded } from './alerts.js';
import type { OutboxMessage } from './outbox.js';

export interface BatchWriterOptions {
  /** MQTT topic each new alert is queued for in the outbox; none when MQTT is off. */
  topic: string | undefined;
  /** Alerts a committed batch added or upgraded, in order, and the MQTT messages queued for them: store first, then deliver. */
  flushed: (alerts: Alert[], queued: OutboxMessage[]) => void;
  /** A batch that could not be committed (disk full, database gone), with how many flows it held. */
  failed: (error: Error, flows: number) => void;
  maxBatch?: number;
  /** How long each commit took (ms), for the stage costs. */
  committed?: (ms: number) => void;
}

/**
 * Writes flows and their alerts in one transaction per batch: everything added in one turn of the
 * event loop (the flows of one message from the proxy's thread, which sends at most one every
 * 10 ms) is committed at the end of that turn, or sooner when `maxBatch` are waiting. One commit per
 * flow would make SQLite the bottleneck under load; waiting longer would only widen the window in
 * which a crash loses a flow whose answer the phone already has. Alerts are handed on (`flushed`)
 * only after their batch is committed.
 */
export class BatchWriter {
  private queue: { flow: Flow; alerts: readonly Alert[] }[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly store: AlertStore,
    private readonly options: BatchWriterOptions,
  ) {}

  add(flow: Flow, alerts: readonly Alert[]): void {
    this.queue.push({ flow, alerts });
    if (this.queue.length >= (this.options.maxBatch ?? 500)) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Commits what is waiting; a failed commit is reported through `failed`, never thrown. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let recorded: Recorded;
    const started = performance.now();
    try {
      recorded = this.store.recordQueued(batch, this.options.topic);
    } catch (error) {
      this.options.failed(error as Error, batch.length);
      return;
    }
    this.options.committed?.(performance.now() - started);
    if (recorded.alerts.length > 0) this.options.flushed(recorded.alerts, recorded.queued);
  }
}
