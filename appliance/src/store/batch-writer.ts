import type { Alert, Flow } from '../model/index.js';
import type { AlertStore } from './alerts.js';

/**
 * Writes flows and their alerts in one transaction per batch (every `intervalMs`, or sooner when
 * `maxBatch` are waiting): one commit per flow would put SQLite on the proxy's hot path. Alerts
 * are handed on (`flushed`) only after their batch is committed: store first, then deliver.
 */
export class BatchWriter {
  private queue: { flow: Flow; alerts: readonly Alert[] }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AlertStore,
    private readonly topic: string | undefined,
    private readonly flushed: (alerts: Alert[]) => void,
    private readonly intervalMs = 50,
    private readonly maxBatch = 500,
  ) {}

  add(flow: Flow, alerts: readonly Alert[]): void {
    this.queue.push({ flow, alerts });
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.store.recordMany(batch, this.topic);
    const alerts = batch.flatMap((b) => b.alerts);
    if (alerts.length > 0) this.flushed(alerts);
  }
}
