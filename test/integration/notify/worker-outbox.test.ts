import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreWrites } from '../../../appliance/src/inspect/store-writes.js';
import { WorkerOutbox } from '../../../appliance/src/notify/worker-outbox.js';
import { Outbox, openDatabase } from '../../../appliance/src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-worker-outbox-'));

/** An outbox of three messages, and removals that wait until the test lets them through. */
function setup(name: string) {
  const db = openDatabase(join(dir, `${name}.db`));
  const outbox = new Outbox(db);
  for (const key of ['a', 'b', 'c']) outbox.enqueue(key, 'leakwatch/test/alert', `{"id":"${key}"}`, 1);
  const writes = new StoreWrites(db);
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
  const keys = () => queue.pending().map((m) => m.alertId);
  return { db, outbox, queue, asked, answers, problems, keys };
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
});
