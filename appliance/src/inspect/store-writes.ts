import type { Database as Db } from 'better-sqlite3';
import { AlertStore, Outbox, applyRetention } from '../store/index.js';
import type { OutboxMessage } from '../store/index.js';
import type { AlertWrites } from '../api/routes/alerts.js';
import type { StoreWrite, WriteResult } from './messages.js';

/**
 * The writes other threads ask of the inspection thread, applied to its connection: with them
 * here, flows, alerts and the outbox each have one writer, and the proxy's thread never waits for
 * SQLite's write lock while this thread commits a batch.
 */
export class StoreWrites {
  private readonly alerts: AlertStore;
  private readonly outbox: Outbox;

  constructor(
    private readonly db: Db,
    /** Told of a message queued for MQTT here (before the write is answered), so it is sent without reading the outbox. */
    private readonly queued: (messages: OutboxMessage[]) => void = () => undefined,
  ) {
    this.alerts = new AlertStore(db);
    this.outbox = new Outbox(db);
  }

  apply(write: StoreWrite): WriteResult {
    switch (write.kind) {
      case 'acknowledge':
        return this.alerts.acknowledge(write.alert) ? 1 : 0;
      case 'acknowledge-all':
        return this.alerts.acknowledgeAll(write.query);
      case 'delivered':
        return this.db.transaction((seqs: number[]) => seqs.reduce((n, seq) => n + this.outbox.delivered(seq), 0))(write.seqs);
      case 'enqueue':
        this.queued([this.outbox.enqueue(write.key, write.topic, write.payload, write.now)]);
        return 1;
      case 'retention':
        return applyRetention(this.db, write.policy, write.now);
    }
  }
}

/** The admin's acknowledgements as writes made by `write` (the inspection thread's, or in tests this class's). */
export function alertWritesVia(write: (w: StoreWrite) => Promise<WriteResult>): AlertWrites {
  return {
    acknowledge: async (alert) => (await write({ kind: 'acknowledge', alert })) === 1,
    acknowledgeAll: async (query) => Number(await write({ kind: 'acknowledge-all', query })),
  };
}
