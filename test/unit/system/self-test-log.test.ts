import { describe, expect, it } from 'vitest';
import { HealthHistory } from '../../../appliance/src/system/health-history.js';
import { parseRules } from '../../../appliance/src/system/firewall.js';
import { SelfTestLog } from '../../../appliance/src/system/self-test-log.js';

describe('self-test log', () => {
  it("keeps each client's own sightings and refusals, only those since the time asked, a bounded few", () => {
    const log = new SelfTestLog();
    for (let i = 0; i < 25; i++) log.saw({ leakwatch: 'self-test', client: '10.42.0.23', scheme: 'http', host: `n${i}.selftest.leakwatch.internal`, time: 1000 + i });
    log.refused('10.42.0.23', 'x.selftest.leakwatch.internal', 'closed', 2000);
    log.saw({ leakwatch: 'self-test', client: '10.42.0.24', scheme: 'https', host: 'y', time: 3000 });
    const mine = log.of('10.42.0.23', 1020);
    expect(mine.seen.map((s) => s.host)).toEqual(['n20.selftest.leakwatch.internal', 'n21.selftest.leakwatch.internal', 'n22.selftest.leakwatch.internal', 'n23.selftest.leakwatch.internal', 'n24.selftest.leakwatch.internal']);
    expect(log.of('10.42.0.23', 0).seen).toHaveLength(20);
    expect(mine.refused).toEqual([{ host: 'x.selftest.leakwatch.internal', cause: 'closed', time: 2000 }]);
    expect(log.of('10.42.0.99', 0)).toEqual({ seen: [], refused: [] });
  });
});

describe('firewall status', () => {
  it('says the output is unreadable rather than guessing, the tables missing when they are, and rules absent when only the table is there', () => {
    expect(parseRules('not json')).toEqual({ state: 'unreadable', reason: 'nft printed something that is not JSON' });
    expect(parseRules('{"nftables":[{"metainfo":{}},{"table":{"family":"ip","name":"nm-shared-wlan0"}},{"rule":{"family":"ip","table":"nm-shared-wlan0","comment":"no QUIC from the hotspot","expr":[]}}]}')).toMatchObject({ state: 'missing', reason: expect.stringContaining('systemctl restart leakwatch-network') });
    expect(parseRules('{"nftables":[{"metainfo":{}},{"table":{"family":"inet","name":"leakwatch"}}]}')).toEqual({
      state: 'loaded',
      rules: { redirectHttp: { present: false, packets: null }, redirectHttps: { present: false, packets: null }, dropQuic: { present: false, packets: null }, dropDnsOverTls: { present: false, packets: null } },
    });
  });
});

describe('health history', () => {
  it('turns samples into percentages, keeps the newest within its capacity, and has no disk figure when the disk is unknown', () => {
    const history = new HealthHistory(2);
    const sample = (time: string, disk: boolean) => ({
      time, uptimeSeconds: 1, cpu: { loadPercent: 5, temperatureC: null }, throttled: null, memory: { totalBytes: 3, availableBytes: 2 },
      disk: disk ? { mount: '/', sizeBytes: 8, usedBytes: 1 } : null, interfaces: [],
    });
    history.add(sample('2026-12-01T00:00:00Z', true));
    history.add(sample('2026-12-01T00:01:00Z', false));
    history.add(sample('2026-12-01T00:02:00Z', true));
    expect(history.list()).toEqual([
      { time: Date.parse('2026-12-01T00:01:00Z'), loadPercent: 5, temperatureC: null, memoryUsedPercent: 33.3, diskUsedPercent: null, throttled: false },
      { time: Date.parse('2026-12-01T00:02:00Z'), loadPercent: 5, temperatureC: null, memoryUsedPercent: 33.3, diskUsedPercent: 12.5, throttled: false },
    ]);
  });
});
