import type { Outbox, OutboxMessage } from '../store/index.js';
import type { OutboxQueue } from './publisher.js';

/**
 * Messages held in memory at most (about 1.5 MB of alerts). Beyond them, while the broker is
 * away, the rest wait only in the outbox and are read back a page at a time as these leave.
 */
export const MAX_HELD_MESSAGES = 500;

/**
 * The outbox as the proxy's thread uses it. The inspection thread, the table's only writer, says
 * what it committed to it (`queued`), so the publisher sends alerts from memory without reading
 * them back; the table is read only at start and when more waited than memory holds. The messages
 * the broker acknowledged are removed by that thread: a message is held back from `pending` from
 * its acknowledgement until then, so none is sent twice; acknowledgements of one turn go over in
 * one request.
 */
export class WorkerOutbox implements OutboxQueue {
  /** Messages known to wait in the outbox, oldest first: announced by the inspection thread or read back. */
  private held: OutboxMessage[] = [];
  /** Whether `held` is all the outbox holds: false at start, and after more arrived than it may hold. */
  private whole = false;
  /** The last seq held. Outbox seqs only grow (AUTOINCREMENT), so a message at or below it is known. */
  private lastSeq = 0;
  private readonly removing = new Set<number>();
  private batch: number[] = [];
  private readonly requests = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    /** Has the inspection thread remove these messages; rejects when it did not. */
    private readonly remove: (seqs: number[]) => Promise<unknown>,
    private readonly problem: (message: string) => void,
  ) {}

  /** Messages the inspection thread committed to the outbox, in its order. */
  queued(messages: readonly OutboxMessage[]): void {
    for (const message of messages) {
      // Already read back, or left in the outbox to be read back in its turn.
      if (message.seq <= this.lastSeq || !this.whole) continue;
      if (this.held.length - this.removing.size >= MAX_HELD_MESSAGES) {
        this.whole = false;
        continue;
      }
      this.held.push(message);
      this.lastSeq = message.seq;
    }
  }

  pending(limit = 100): OutboxMessage[] {
    let ready = this.ready(limit);
    if (ready.length < limit && !this.whole) {
      this.readBack();
      ready = this.ready(limit);
    }
    return ready;
  }

  size(): number {
    return this.whole ? this.held.length - this.removing.size : Math.max(0, this.outbox.size() - this.removing.size);
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

  private ready(limit: number): OutboxMessage[] {
    const ready: OutboxMessage[] = [];
    for (const message of this.held) {
      if (ready.length >= limit) break;
      if (!this.removing.has(message.seq)) ready.push(message);
    }
    return ready;
  }

  /**
   * Reads what waits in the outbox after the last message held, as much as memory may hold. Those
   * being removed do not count: they leave as soon as the inspection thread answers, and the
   * publisher asks again only when its sends are acknowledged, possibly before that answer.
   */
  private readBack(): void {
    const room = MAX_HELD_MESSAGES - (this.held.length - this.removing.size);
    if (room <= 0) return;
    const read = this.outbox.pending(room, this.lastSeq);
    for (const message of read) this.held.push(message);
    if (read.length > 0) this.lastSeq = read[read.length - 1]!.seq;
    this.whole = read.length < room;
  }

  private sendBatch(): void {
    const seqs = this.batch;
    this.batch = [];
    if (seqs.length === 0) return;
    const settle = () => {
      for (const seq of seqs) this.removing.delete(seq);
      this.requests.delete(request);
    };
    const request = this.remove(seqs).then(
      () => {
        // In the same step as `removing`, so size() never counts them twice or not at all.
        const removed = new Set(seqs);
        this.held = this.held.filter((m) => !removed.has(m.seq));
        settle();
      },
      (error: Error) => {
        // Still in the outbox and still held: sent again (MQTT QoS 1 allows a duplicate), never lost.
        settle();
        this.problem(`${error.message}; those MQTT messages will be sent again`);
      },
    );
    this.requests.add(request);
  }
}
