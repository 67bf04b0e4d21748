import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthHistory } from '../../../appliance/src/system/health-history.js';
import type { Health } from '../../../appliance/src/system/health.js';
import { PASSWORD, testApi } from './app.js';
import type { TestApi } from './app.js';

const health = (time: string, load: number): Health => ({
  time, uptimeSeconds: 100, cpu: { loadPercent: load, temperatureC: 51.5 }, throttled: { raw: '0x50005', underVoltage: true, throttled: true },
  memory: { totalBytes: 1000, availableBytes: 250 }, disk: { mount: '/', sizeBytes: 200, usedBytes: 50 }, interfaces: [],
});

let t: TestApi;
const history = new HealthHistory(2);

beforeAll(async () => {
  t = await testApi({ health: async () => health('2026-12-01T10:03:00Z', 5),
    pipeline: async () => ({ stages: { flows: 400, detectMs: 168, batches: 8, storeMs: 20 }, published: { delivered: 200, ms: 10 } }),
    captureCounters: () => ({ packets: 91_000, droppedPackets: 12, bufferBytes: 4 << 20 }), passthroughs: () => [
    { device: 'aa:aa:aa:aa:aa:01', host: 'api.bank.example', reason: 'certificate-rejected', since: 1, until: Date.now() + 60_000 },
    { device: 'aa:aa:aa:aa:aa:01', host: 'pinned.example', reason: 'repeated-refusals', since: 1, until: Date.now() + 60_000 },
    { device: 'aa:aa:aa:aa:aa:02', host: 'api.bank.example', reason: 'refused-after-accepting', since: 1, until: Date.now() + 60_000 },
  ], downtime: (since) => [{ start: since + 1000, end: since + 61_000, reason: 'crashed' as const }].filter((d) => d.end > Date.now() - 8 * 86400_000), history: () => history.list(), mqtt: () => ({ broker: 'mqtt://10.42.0.1:1883', connected: false, waiting: 3, problem: 'the broker refused the connection' }) });
});
afterAll(async () => t?.close());

describe('system and settings for the page', () => {
  it('keeps the last samples of health, oldest first, as the settings view charts them', async () => {
    history.add(health('2026-12-01T10:00:00Z', 10));
    history.add(health('2026-12-01T10:01:00Z', 20));
    history.add(health('2026-12-01T10:02:00Z', 30));
    const r = await t.app.inject({ method: 'GET', url: '/api/system/history', headers: { cookie: t.cookie } });
    expect(r.json()).toEqual([
      { time: Date.parse('2026-12-01T10:01:00Z'), loadPercent: 20, temperatureC: 51.5, memoryUsedPercent: 75, diskUsedPercent: 25, throttled: true },
      { time: Date.parse('2026-12-01T10:02:00Z'), loadPercent: 30, temperatureC: 51.5, memoryUsedPercent: 75, diskUsedPercent: 25, throttled: true },
    ]);
  });

  it('says where the alert path spends its time, per flow, per commit and per alert delivered', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/system', headers: { cookie: t.cookie } });
    expect((r.json() as { pipeline: unknown }).pipeline).toEqual({ flows: 400, detectMsPerFlow: 0.42, batches: 8, storeMsPerBatch: 2.5, storeMsPerFlow: 0.05, alertsDelivered: 200, publishMsPerAlert: 0.05 });
  });

  it('says how many packets capture saw and how many the kernel dropped for want of room', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/system', headers: { cookie: t.cookie } });
    expect((r.json() as { capture: unknown }).capture).toEqual({ packets: 91_000, droppedPackets: 12, bufferBytes: 4 << 20 });
  });

  it('counts what is not inspected now: hosts, devices, and each reason', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/system', headers: { cookie: t.cookie } });
    expect((r.json() as { notInspected: unknown }).notInspected).toEqual({ hosts: 2, devices: 2, reasons: { 'certificate-rejected': 1, 'repeated-refusals': 1, 'refused-after-accepting': 1 } });
  });

  it('lists the last week\'s times leakwatch was not running', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/system/downtime', headers: { cookie: t.cookie } });
    const gaps = r.json() as { start: number; end: number; reason: string }[];
    expect(gaps).toEqual([{ start: expect.any(Number), end: expect.any(Number), reason: 'crashed' }]);
    // Asked for the last week: the route passes now - 7 days.
    expect(Math.abs(gaps[0]!.start - 1000 - (Date.now() - 7 * 86400_000))).toBeLessThan(5000);
  });

  it('changes the admin password when the current one is right, and ends every other session', async () => {
    const other = String((await t.app.inject({ method: 'POST', url: '/api/login', payload: { password: PASSWORD } })).headers['set-cookie']).split(';')[0]!;
    const change = (current: string, next: string) => t.app.inject({ method: 'POST', url: '/api/password', headers: { cookie: t.cookie }, payload: { current, next } });
    const short = await change(PASSWORD, 'short');
    expect([short.statusCode, short.json().error]).toEqual([400, 'LW_ERR_PASSWORD_TOO_SHORT']);
    const wrong = await change('not it', 'a much longer password');
    expect([wrong.statusCode, wrong.json().error]).toEqual([403, 'LW_ERR_WRONG_PASSWORD']);
    expect((await change(PASSWORD, 'a much longer password')).json()).toEqual({ ok: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie: other } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie: t.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/login', payload: { password: PASSWORD } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/login', payload: { password: 'a much longer password' } })).statusCode).toBe(200);
  });

  it('logs out: the session no longer opens anything', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/login', payload: { password: 'a much longer password' } });
    const session = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await t.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: session } })).json()).toEqual({ ok: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie: session } })).json()).toMatchObject({ error: 'LW_ERR_AUTH_REQUIRED' });
  });
});
