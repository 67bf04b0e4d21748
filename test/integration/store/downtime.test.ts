import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DowntimeLog, openDatabase } from '../../../appliance/src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-downtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T = Date.parse('2026-12-04T10:00:00Z');
const MIN = 60_000;

describe('downtime (when nothing was inspected)', () => {
  it('records a crash from the last sign of life, a clean stop from its moment, and not a restart of a few seconds', () => {
    const db = openDatabase(join(dir, 'a', 'leakwatch.db'));
    const log = new DowntimeLog(db);
    expect(log.started(T)).toBeUndefined();
    log.alive(T + 5 * MIN);
    // Killed (power cut, kill -9) a little after its last sign of life; back 20 minutes later.
    expect(log.started(T + 25 * MIN)).toEqual({ start: T + 5 * MIN, end: T + 25 * MIN, reason: 'crashed' });
    log.stopped(T + 30 * MIN);
    expect(log.started(T + 90 * MIN)).toEqual({ start: T + 30 * MIN, end: T + 90 * MIN, reason: 'stopped' });
    log.stopped(T + 91 * MIN);
    expect(log.started(T + 91 * MIN + 10_000)).toBeUndefined();
    expect(log.since(T + 26 * MIN)).toEqual([{ start: T + 30 * MIN, end: T + 90 * MIN, reason: 'stopped' }]);
    expect(log.since(0)).toHaveLength(2);
    db.close();
  });

  it('forgets downtime that ended before a cut-off (retention.maxAgeDays, as for flows and alerts)', () => {
    const db = openDatabase(join(dir, 'b', 'leakwatch.db'));
    const log = new DowntimeLog(db);
    log.started(T);
    log.stopped(T + MIN);
    log.started(T + 60 * MIN);
    expect(log.prune(T + 3 * 24 * 60 * MIN - 24 * 60 * MIN)).toBe(1);
    expect(log.since(0)).toEqual([]);
    db.close();
  });
});
