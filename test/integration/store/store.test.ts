import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../appliance/src/store/migrations.js';
import { AlertStore, Outbox, StoreError, applyRetention, openDatabase, schemaVersion } from '../../../appliance/src/store/index.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { alert, flowFor } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-store-'));
let n = 0;
const dbPath = () => join(dir, `db${n++}`, 'leakwatch.db');

describe('the store (SQLite, WAL)', () => {
  it('runs its migrations once, in WAL mode', () => {
    const path = dbPath();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(MIGRATIONS.at(-1)!.version);
    again.close();
  });

  it('refuses a database from a newer leakwatch, saying what to do', () => {
    const path = dbPath();
    const db = openDatabase(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(path)).toThrow(StoreError);
    expect(() => openDatabase(path)).toThrow(new RegExp(`schema version 99, newer than this leakwatch \\(${MIGRATIONS.at(-1)!.version}\\); upgrade leakwatch`));
  });

  it('numbers the alerts of a version 3 database by time when it upgrades, and goes on from the last number', () => {
    const path = dbPath();
    const v3 = openDatabase(path, MIGRATIONS.slice(0, 3));
    const insert = v3.prepare(`INSERT INTO alerts (id, time, device, severity, confidence, kind, value, china_linked, host, flow_id, json)
      VALUES (?, ?, 'phone', 'high', 'confirmed', 'url', 'v', 1, 'h', 'f', ?)`);
    for (const [id, time] of [['late', 30], ['early', 10], ['middle', 20]] as const) insert.run(id, time, JSON.stringify(alert(id, 0, time)));
    v3.close();
    const db = openDatabase(path);
    const store = new AlertStore(db);
    expect(store.list().map((a) => [a.id, a.seq])).toEqual([['late', 3], ['middle', 2], ['early', 1]]);
    store.record(flowFor(alert('next', 1)), [alert('next', 1)], undefined);
    expect(store.latestSeq()).toBe(4);
    expect(store.after(2, 10).map((a) => a.id)).toEqual(['late', 'next']);
  });

  it('keeps alerts with their flow and queues each once for MQTT, in one transaction', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const a = alert('a1', 1);
    store.record(flowFor(a, 100_000), [a], 'leakwatch/pi/alert');
    store.record(flowFor(a, 100_000), [a], 'leakwatch/pi/alert');
    expect(store.get('a1')).toEqual({ ...a, seq: 1, acknowledged: false });
    const outbox = new Outbox(db);
    expect(outbox.pending().map((m) => [m.alertId, m.topic, JSON.parse(m.payload).id])).toEqual([['a1', 'leakwatch/pi/alert', 'a1']]);
    outbox.delivered(outbox.pending()[0]!.seq);
    expect(outbox.pending()).toEqual([]);
    const excerpt = db.prepare('SELECT length(body_excerpt) AS n, body_bytes AS total FROM flows').get() as { n: number; total: number };
    expect(excerpt).toEqual({ n: 64 * 1024, total: 100_000 });
  });

  it('follows an alert to its highest tier: an upgrade replaces the row, moves to the end, is unread again and is sent again', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const outbox = new Outbox(db);
    const suspected: Alert = { ...alert('u1', 1), confidence: 'suspected', severity: 'medium' };
    const confirmed: Alert = { ...alert('u1', 1), confidence: 'confirmed', severity: 'high', evidence: { excerpt: 'x', highlight: [0, 1], steps: [], browsedAt: 1 } };
    const other = alert('u2', 2);
    expect(store.record(flowFor(suspected), [suspected], 'leakwatch/pi/alert')).toEqual([suspected]);
    store.record(flowFor(other), [other], 'leakwatch/pi/alert');
    store.acknowledge('u1');
    store.acknowledge('u2');
    // A page load seen later confirms it: same id, same request.
    expect(store.record(flowFor(confirmed), [confirmed], 'leakwatch/pi/alert')).toEqual([{ ...confirmed, upgradedFrom: 'suspected' }]);
    expect(store.get('u1')).toEqual({ ...confirmed, upgradedFrom: 'suspected', seq: 3, acknowledged: false });
    expect(store.list({ unread: true }).map((a) => a.id)).toEqual(['u1']);
    expect(store.list().map((a) => [a.id, a.confidence])).toEqual([['u1', 'confirmed'], ['u2', 'confirmed']]);
    expect(store.after(2, 10).map((a) => a.id)).toEqual(['u1']);
    // The same tier again, or a lower one, changes nothing and sends nothing.
    expect(store.record(flowFor(confirmed), [confirmed], 'leakwatch/pi/alert')).toEqual([]);
    expect(store.record(flowFor(suspected), [suspected], 'leakwatch/pi/alert')).toEqual([]);
    expect(store.get('u1')?.confidence).toBe('confirmed');
    expect(outbox.pending().map((m) => [m.alertId, JSON.parse(m.payload).confidence, JSON.parse(m.payload).upgradedFrom ?? null])).toEqual([
      ['u1', 'suspected', null], ['u2', 'confirmed', null], ['u1', 'confirmed', 'suspected'],
    ]);
    db.close();
  });

  it('returns the MQTT messages a batch queued exactly as the outbox holds them, and none without a topic or for a repeat', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const outbox = new Outbox(db);
    const [q1, q2] = [alert('q1', 1), alert('q2', 2)];
    const recorded = store.recordQueued([{ flow: flowFor(q1), alerts: [q1] }, { flow: flowFor(q2), alerts: [q2] }], 'leakwatch/pi/alert');
    expect(recorded.alerts).toEqual([q1, q2]);
    expect(recorded.queued).toEqual(outbox.pending());
    expect(recorded.queued.map((m) => [m.alertId, m.topic, m.payload])).toEqual([['q1', 'leakwatch/pi/alert', JSON.stringify(q1)], ['q2', 'leakwatch/pi/alert', JSON.stringify(q2)]]);
    // Only messages after a seq, for reading back what memory did not hold.
    expect(outbox.pending(10, recorded.queued[0]!.seq)).toEqual([recorded.queued[1]]);
    expect(store.recordQueued([{ flow: flowFor(q1), alerts: [q1] }], 'leakwatch/pi/alert')).toEqual({ alerts: [], queued: [] });
    const q3 = alert('q3', 3);
    expect(store.recordQueued([{ flow: flowFor(q3), alerts: [q3] }], undefined)).toEqual({ alerts: [q3], queued: [] });
    db.close();
  });

  it('lists and filters alerts, newest first, and acknowledges them', () => {
    const store = new AlertStore(openDatabase(dbPath()));
    for (let i = 0; i < 6; i++) store.record(flowFor(alert(`l${i}`, i)), [alert(`l${i}`, i)], undefined);
    expect(store.list().map((x) => x.id)).toEqual(['l5', 'l4', 'l3', 'l2', 'l1', 'l0']);
    expect(store.list({ device: 'phone-a', chinaLinked: true }).map((x) => x.id)).toEqual(['l5', 'l1']);
    expect(store.acknowledge('l5')).toBe(true);
    expect(store.acknowledge('nope')).toBe(false);
  });

  it('forgets by age, and by size flows first, so the SD card never fills', () => {
    const db = openDatabase(dbPath());
    const store = new AlertStore(db);
    const now = Date.parse('2026-11-01T10:00:00Z') + 1000 * 1000;
    store.record(flowFor(alert('old', 0, now - 200 * 24 * 3600 * 1000)), [alert('old', 0, now - 200 * 24 * 3600 * 1000)], undefined);
    for (let i = 1; i <= 300; i++) store.record(flowFor(alert(`s${i}`, i), 32 * 1024), [alert(`s${i}`, i)], undefined);
    const byAge = applyRetention(db, { maxAgeDays: 90, maxBytes: 1 << 30 }, now);
    expect(byAge).toMatchObject({ flowsDeleted: 1, alertsDeleted: 1 });
    const bySize = applyRetention(db, { maxAgeDays: 90, maxBytes: 2 * 1024 * 1024 }, now);
    expect(bySize.bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(bySize.flowsDeleted).toBeGreaterThan(0);
    expect(new AlertStore(db).list({ limit: 1000 })).toHaveLength(300);
  });

  it('loses no committed alert when killed with SIGKILL, again and again, and still opens', async () => {
    const path = dbPath();
    openDatabase(path).close();
    const committed: string[] = [];
    for (let round = 0; round < 5; round++) {
      await new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'writer.ts'), path], { cwd: resolve(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
        let seen = 0;
        createInterface({ input: child.stdout! }).on('line', (id) => {
          committed.push(id);
          if (++seen === 40 + round * 25) child.kill('SIGKILL');
        });
        child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`writer exited on its own (${signal})`))));
      });
    }
    const db = openDatabase(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set((db.prepare('SELECT id FROM alerts').all() as { id: string }[]).map((r) => r.id));
    expect(committed.length).toBeGreaterThanOrEqual(5 * 40);
    expect(committed.filter((id) => !stored.has(id))).toEqual([]);
  });
});
