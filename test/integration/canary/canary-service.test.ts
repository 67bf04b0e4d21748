import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryService } from '../../../appliance/src/canary/canary-service.js';
import type { SessionVerdict } from '../../../appliance/src/canary/verdict.js';
import { activeCanaries } from '../../../appliance/src/canary/watch.js';
import type { Alert, PlantedCanary } from '../../../appliance/src/model/index.js';
import { AlertStore, CanarySessionStore, openDatabase } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from '../store/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-canary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIN = 60_000;

function setup(name: string) {
  const db = openDatabase(join(dir, name, 'leakwatch.db'));
  let now = Date.parse('2026-12-04T10:00:00Z');
  const calls: [string, PlantedCanary][] = [];
  const finished: SessionVerdict[] = [];
  const traffic = { quicPackets: 0, dnsOverTlsAttempts: 0 };
  const service = new CanaryService({
    db, now: () => now, plant: (action, c) => calls.push([action, c]), finished: (v) => finished.push(v),
    traffic: () => [{ peer: '1.1.1.1', bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0, tcpPorts: [], dnsOverTlsAttempts: traffic.dnsOverTlsAttempts, quicPackets: traffic.quicPackets, dnsPackets: 0, firstSeen: 0, lastSeen: 0 }],
  });
  return { db, service, calls, finished, traffic, tick: (ms: number) => (now += ms), now: () => now };
}

/** A proven alert the detector would raise on a round's canary. */
function proven(session: string, round: number, mode: string, value: string, at: number): Alert {
  const a = alert(`proof-${session}-${round}`, 1, at);
  return { ...a, confidence: 'proven', severity: 'critical', data: { kind: 'canary', value, matched: value, form: 'url', canary: { session, round, mode, target: 'url' } }, flow: { ...a.flow, id: `f-${session}-${round}` } };
}

describe('canary sessions on the appliance', () => {
  it('plants each round\'s three canaries when it opens, and takes them away once the watch window after it is over', () => {
    const t = setup('plant');
    const s = t.service.create('Mint Browser 3.4', 'da:a1:19:3c:4e:01', 10);
    const r1 = t.service.openRound(s.id, 'normal');
    expect(t.calls.map(([a, c]) => [a, c.kind, c.label])).toEqual([
      ['add', 'host', { session: s.id, round: 1, mode: 'normal', target: 'host' }],
      ['add', 'url', { session: s.id, round: 1, mode: 'normal', target: 'url' }],
      ['add', 'search', { session: s.id, round: 1, mode: 'normal', target: 'search' }],
    ]);
    t.calls.length = 0;
    t.tick(2 * MIN);
    t.service.openRound(s.id, 'incognito');
    // Round 1 is closed by round 2 but still watched for 10 minutes: only round 2's canaries are new.
    expect(t.calls.map(([a, c]) => [a, c.label?.round])).toEqual([['add', 2], ['add', 2], ['add', 2]]);
    t.calls.length = 0;
    t.tick(11 * MIN);
    t.service.closeRound(s.id);
    expect(t.calls.map(([a, c]) => [a, c.label?.round, c.value === r1.phrase || c.value.includes(r1.hostToken)])).toEqual([['remove', 1, true], ['remove', 1, true], ['remove', 1, true]]);
    // A restarted inspection thread plants what is still watched, from the database.
    expect(activeCanaries(new CanarySessionStore(t.db).unfinished(), t.now()).map((c) => c.label?.round)).toEqual([2, 2, 2]);
  });

  it('records the first visit of a canary page by its host, and ignores other hosts', () => {
    const t = setup('visit');
    const s = t.service.create('App', null);
    const r = t.service.openRound(s.id, 'normal');
    const found = t.service.roundOf(`${r.hostToken}.canary.leakwatch.internal`)!;
    expect([found.session.id, found.round.n]).toEqual([s.id, 1]);
    t.service.visit(s.id, 1, 'phone');
    t.tick(5000);
    t.service.visit(s.id, 1, 'laptop');
    expect(t.service.get(s.id).rounds[0]).toMatchObject({ visited: t.now() - 5000, visitedBy: 'phone' });
    expect(t.service.roundOf('q3w8e2rtzz.canary.leakwatch.internal')).toBeUndefined();
    expect(t.service.roundOf('news.example.org')).toBeUndefined();
  });

  it('gives a live verdict, counts the blind spots of the round, and keeps the verdict and hands it on once the watch is over', () => {
    const t = setup('final');
    const s = t.service.create('Mint Browser 3.4', 'phone', 10);
    const r = t.service.openRound(s.id, 'incognito');
    t.service.visit(s.id, 1, 'phone');
    t.traffic.quicPackets = 7;
    t.traffic.dnsOverTlsAttempts = 2;
    t.tick(3000);
    const a = proven(s.id, 1, 'incognito', `http://${r.hostToken}.canary.leakwatch.internal/${r.pathToken}`, t.now());
    new AlertStore(t.db).record(flowFor(a), [a], undefined);
    t.tick(MIN);
    t.service.close(s.id);
    const live = t.service.verdict(s.id).verdict;
    expect(live).toMatchObject({ watching: true, rounds: [{ leaked: true, found: [{ target: 'url', afterVisitMs: 3000 }], blind: { quicPackets: 7, dnsOverTlsAttempts: 2, passedThrough: [] } }] });
    expect(t.finished).toEqual([]);
    t.tick(10 * MIN);
    t.service.start();
    expect(t.finished).toHaveLength(1);
    expect(t.finished[0]).toMatchObject({ session: s.id, watching: false, summary: 'Every round (incognito) leaked: to sa.api.intl.miui.com, china-linked.' });
    // Kept: the verdict no longer changes with what the store holds.
    expect(t.service.verdict(s.id).verdict).toEqual(t.finished[0]);
    t.service.start();
    expect(t.finished).toHaveLength(1);
  });

  it('refuses rounds on a closed session, and names an unknown one', () => {
    const t = setup('refuse');
    const s = t.service.create('App', null);
    t.service.close(s.id);
    expect(() => t.service.openRound(s.id, 'normal')).toThrow(/is closed; start a new session/);
    expect(() => t.service.get('cs-nope')).toThrow(/no canary session cs-nope/);
  });
});
