import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreWrites } from '../../../appliance/src/inspect/store-writes.js';
import { MAX_HELD_MESSAGES, WorkerOutbox } from '../../../appliance/src/notify/worker-outbox.js';
import { Outbox, openDatabase } from '../../../appliance/src/store/index.js';
import type { OutboxMessage } from '../../../appliance/src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-worker-outbox-'));

/** An outbox of three messages, and removals that wait until the test lets them through. */
/** The outbox table, counting how often it is read for waiting messages. */
class CountedOutbox extends Outbox {
  reads = 0;
  override pending(limit?: number, after?: number): OutboxMessage[] {
    this.reads++;
    return super.pending(limit, after);
  }
}

function setup(name: string) {
  const db = openDatabase(join(dir, `${name}.db`));
  const outbox = new CountedOutbox(db);
  for (const key of ['a', 'b', 'c']) outbox.enqueue(key, 'leakwatch/test/alert', `{"id":"${key}"}`, 1);
  // The inspection thread's side: what it queues, it announces, as worker-main does.
  let announce: (messages: OutboxMessage[]) => void = () => undefined;
  const writes = new StoreWrites(db, (messages) => announce(messages));
  const enqueue = (key: string) => writes.apply({ kind: 'enqueue', key, topic: 'leakwatch/test/alert', payload: `{"id":"${key}"}`, now: 2 });
  const asked: number[][] = [];
  const answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const problems: string[] = [];
  const queue = new WorkerOutbox(
    outbox,
    (seqs) => {
      asked.push(seqs);
      return new Promise<void>((resolve, reject) => answers.push({ resolve: () => resolve(void writes.apply({ kind: 'delivered', seqs })), reject }));
    },
    (message) => problems.push(message),
  );
  announce = (messages) => queue.queued(messages);
  const keys = (limit?: number) => queue.pending(limit).map((m) => m.alertId);
  return { db, outbox, queue, asked, answers, problems, keys, enqueue, writes };
}

describe('the outbox as the proxy thread sees it (removals by the inspection thread)', () => {
  it('holds a delivered message back at once, asks for the removals of one turn together, and forgets them once removed', async () => {
    const t = setup('removed');
    const [a, b] = t.queue.pending();
    t.queue.delivered(a!.seq);
    t.queue.delivered(b!.seq);
    expect(t.keys()).toEqual(['c']);
    expect(t.queue.size()).toBe(1);
    await Promise.resolve();
    expect(t.asked).toEqual([[a!.seq, b!.seq]]);
    const settled = t.queue.settled();
    t.answers[0]!.resolve();
    await settled;
    expect(t.outbox.pending().map((m) => m.alertId)).toEqual(['c']);
    expect(t.keys()).toEqual(['c']);
    expect(t.problems).toEqual([]);
    t.db.close();
  });

  it('puts a message back in line when its removal failed, and says it will be sent again', async () => {
    const t = setup('failed');
    const [a] = t.queue.pending();
    t.queue.delivered(a!.seq);
    const settled = t.queue.settled();
    expect(t.asked).toEqual([[a!.seq]]);
    t.answers[0]!.reject(new Error('the inspection thread did not answer within 10000 ms'));
    await settled;
    expect(t.keys()).toEqual(['a', 'b', 'c']);
    expect(t.problems).toEqual(['the inspection thread did not answer within 10000 ms; those MQTT messages will be sent again']);
    t.db.close();
  });

  it('still returns as many messages as asked for while some are being removed', () => {
    const t = setup('limit');
    const [a] = t.queue.pending();
    t.queue.delivered(a!.seq);
    expect(t.queue.pending(2).map((m) => m.alertId)).toEqual(['b', 'c']);
    t.db.close();
  });

  it('reads the outbox once at start, then sends what the inspection thread announces from memory, in order', () => {
    const t = setup('memory');
    expect(t.keys()).toEqual(['a', 'b', 'c']);
    expect(t.outbox.reads).toBe(1);
    t.enqueue('d');
    t.enqueue('e');
    expect(t.keys()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.queue.size()).toBe(5);
    expect(t.outbox.reads).toBe(1);
    t.db.close();
  });

  it('holds a message once when it was read back and then announced (the announcement was on its way)', () => {
    const t = setup('race');
    const late = t.outbox.enqueue('d', 'leakwatch/test/alert', '{"id":"d"}', 2);
    expect(t.keys()).toEqual(['a', 'b', 'c', 'd']);
    t.queue.queued([late]);
    expect(t.keys()).toEqual(['a', 'b', 'c', 'd']);
    t.db.close();
  });

  it('announced before the first read: found in the outbox, not held twice', () => {
    const t = setup('early');
    t.enqueue('d');
    expect(t.keys()).toEqual(['a', 'b', 'c', 'd']);
    expect(t.outbox.reads).toBe(1);
    t.db.close();
  });

  it(`holds at most ${MAX_HELD_MESSAGES} messages while the broker is away, and reads the rest back in order as they leave, none lost or doubled`, async () => {
    const t = setup('overflow');
    const extra = MAX_HELD_MESSAGES + 40;
    expect(t.keys()).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < extra; i++) t.enqueue(`m${i}`);
    const all = ['a', 'b', 'c', ...Array.from({ length: extra }, (_, i) => `m${i}`)];
    const first = t.queue.pending(1000);
    expect(first.map((m) => m.alertId)).toEqual(all.slice(0, MAX_HELD_MESSAGES));
    expect(t.queue.size()).toBe(all.length);
    // The broker acknowledges the held ones; the rest come from the outbox, after them, even
    // before the inspection thread has answered their removal (the publisher asks again at once).
    for (const m of first) t.queue.delivered(m.seq);
    const readsBefore = t.outbox.reads;
    expect(t.keys(1000)).toEqual(all.slice(MAX_HELD_MESSAGES));
    expect(t.outbox.reads).toBe(readsBefore + 1);
    const settled = t.queue.settled();
    t.answers[0]!.resolve();
    await settled;
    expect(t.keys(1000)).toEqual(all.slice(MAX_HELD_MESSAGES));
    expect(t.queue.size()).toBe(extra + 3 - MAX_HELD_MESSAGES);
    // Everything is held again: new announcements are sent from memory.
    t.enqueue('z');
    expect(t.keys(1000)).toEqual([...all.slice(MAX_HELD_MESSAGES), 'z']);
    expect(t.outbox.reads).toBe(readsBefore + 1);
    t.db.close();
  });
});
