import type { Outbox, OutboxMessage } from '../store/index.js';
import type { OutboxQueue } from './publisher.js';

/**
 * The outbox as the proxy's thread uses it: read on this thread's connection, while the messages
 * the broker acknowledged are removed by the inspection thread, the table's only writer. A
 * message is held back from `pending` from its acknowledgement until that thread removed it, so
 * none is sent twice; acknowledgements of one turn go over in one request.
 */
export class WorkerOutbox implements OutboxQueue {
  private readonly removing = new Set<number>();
  private batch: number[] = [];
  private readonly requests = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    /** Has the inspection thread remove these messages; rejects when it did not. */
    private readonly remove: (seqs: number[]) => Promise<unknown>,
    private readonly problem: (message: string) => void,
  ) {}

  pending(limit = 100): OutboxMessage[] {
    const messages = this.outbox.pending(limit + this.removing.size);
    return messages.filter((m) => !this.removing.has(m.seq)).slice(0, limit);
  }

  size(): number {
    return Math.max(0, this.outbox.size() - this.removing.size);
  }

  delivered(seq: number): void {
    this.removing.add(seq);
    if (this.batch.push(seq) === 1) queueMicrotask(() => this.sendBatch());
  }

  /** Resolves once every removal asked for so far is done or has failed: the thread may close then. */
  async settled(): Promise<void> {
    if (this.batch.length > 0) this.sendBatch();
    await Promise.all([...this.requests]);
  }

  private sendBatch(): void {
    const seqs = this.batch;
    this.batch = [];
    if (seqs.length === 0) return;
    const request = this.remove(seqs).then(
      () => undefined,
      // Still in the outbox: sent again (MQTT QoS 1 allows a duplicate), never lost.
      (error: Error) => this.problem(`${error.message}; those MQTT messages will be sent again`),
    ).finally(() => {
      for (const seq of seqs) this.removing.delete(seq);
      this.requests.delete(request);
    });
    this.requests.add(request);
  }
}
