import type { Alert, Flow } from '../model/index.js';
import type { AlertStore } from './alerts.js';

export interface BatchWriterOptions {
  /** MQTT topic each new alert is queued for in the outbox; none when MQTT is off. */
  topic: string | undefined;
  /** Alerts a committed batch added or upgraded, in order: store first, then deliver. */
  flushed: (alerts: Alert[]) => void;
  /** A batch that could not be committed (disk full, database gone), with how many flows it held. */
  failed: (error: Error, flows: number) => void;
  intervalMs?: number;
  maxBatch?: number;
}

/**
 * Writes flows and their alerts in one transaction per batch (at most one every `intervalMs`, or
 * sooner when `maxBatch` are waiting; at once after a quiet spell): one commit per flow would make
 * SQLite the bottleneck under load. Alerts are handed
 * on (`flushed`) only after their batch is committed.
 */
export class BatchWriter {
  private queue: { flow: Flow; alerts: readonly Alert[] }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = -Infinity;

  constructor(
    private readonly store: AlertStore,
    private readonly options: BatchWriterOptions,
  ) {}

  add(flow: Flow, alerts: readonly Alert[]): void {
    this.queue.push({ flow, alerts });
    if (this.queue.length >= (this.options.maxBatch ?? 500)) this.flush();
    // At once after a quiet spell (the usual case on a phone), else at most one commit per
    // interval: a flow is at risk from a crash only while it waits here.
    else this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlush + (this.options.intervalMs ?? 50) - Date.now()));
  }

  /** Commits what is waiting; a failed commit is reported through `failed`, never thrown. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let changed: Alert[];
    try {
      changed = this.store.recordMany(batch, this.options.topic);
    } catch (error) {
      this.options.failed(error as Error, batch.length);
      return;
    }
    if (changed.length > 0) this.options.flushed(changed);
  }
}
