import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../appliance/src/model/index.js';
import { AlertStore, BatchWriter, openDatabase } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-batch-'));

describe('the batch writer', () => {
  it('commits a full batch at once and hands its alerts on only after the commit', () => {
    const db = openDatabase(join(dir, 'full', 'leakwatch.db'));
    const seen: { ids: string[]; storedThen: number }[] = [];
    const writer = new BatchWriter(new AlertStore(db), {
      topic: 'leakwatch/t/alert',
      maxBatch: 3,
      flushed: (alerts: Alert[]) => seen.push({ ids: alerts.map((a) => a.id), storedThen: (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n }),
      failed: (error) => expect.fail(error.message),
    });
    const alerts = [alert('a1', 1), alert('a2', 2), alert('a3', 3)];
    writer.add(flowFor(alerts[0]!), [alerts[0]!]);
    writer.add(flowFor(alerts[1]!), [alerts[1]!]);
    expect(seen).toEqual([]);
    writer.add(flowFor(alerts[2]!), [alerts[2]!]);
    expect(seen).toEqual([{ ids: ['a1', 'a2', 'a3'], storedThen: 3 }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 3 });
    db.close();
  });

  it('hands on only what changed the store: not a re-delivered alert, but an upgrade of one', () => {
    const db = openDatabase(join(dir, 'changed', 'leakwatch.db'));
    const seen: [string, string, string | undefined][] = [];
    const writer = new BatchWriter(new AlertStore(db), {
      topic: 'leakwatch/t/alert',
      flushed: (alerts: Alert[]) => seen.push(...alerts.map((a): [string, string, string | undefined] => [a.id, a.confidence, a.upgradedFrom])),
      failed: (error) => expect.fail(error.message),
    });
    const suspected: Alert = { ...alert('c1', 1), confidence: 'suspected' };
    writer.add(flowFor(suspected), [suspected]);
    writer.flush();
    writer.add(flowFor(suspected), [suspected]);
    writer.flush();
    writer.add(flowFor(suspected), [alert('c1', 1)]);
    writer.flush();
    expect(seen).toEqual([['c1', 'suspected', undefined], ['c1', 'confirmed', 'suspected']]);
    db.close();
  });

  it('commits what one turn of the event loop added at the end of that turn, in one batch', async () => {
    const db = openDatabase(join(dir, 'turn', 'leakwatch.db'));
    const batches: string[][] = [];
    const writer = new BatchWriter(new AlertStore(db), { topic: undefined, flushed: (alerts) => batches.push(alerts.map((a) => a.id)), failed: (error) => expect.fail(error.message) });
    const [a, b, c] = [alert('t1', 1), alert('t2', 2), alert('t3', 3)];
    writer.add(flowFor(a), [a]);
    writer.add(flowFor(b), [b]);
    expect(batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    // Committed before the next turn: a crash from here on loses neither.
    expect(batches).toEqual([['t1', 't2']]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM flows').get()).toEqual({ n: 2 });
    writer.add(flowFor(c), [c]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['t1', 't2'], ['t3']]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    db.close();
  });

  it('reports a batch it cannot commit instead of throwing, and delivers none of its alerts', () => {
    const db = openDatabase(join(dir, 'fail', 'leakwatch.db'));
    const failures: string[] = [];
    const delivered: Alert[] = [];
    const writer = new BatchWriter(new AlertStore(db), { topic: undefined, flushed: (alerts) => delivered.push(...alerts), failed: (error, flows) => failures.push(`${flows}: ${error.message}`) });
    const a = alert('f1', 1);
    writer.add(flowFor(a), [a]);
    db.close();
    expect(() => writer.flush()).not.toThrow();
    expect(failures).toEqual([expect.stringMatching(/^1: .*(not open|closed)/)]);
    expect(delivered).toEqual([]);
  });
});
