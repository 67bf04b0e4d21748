import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../appliance/src/model/index.js';
import type { ListedAlert } from '../../../appliance/src/store/index.js';
import { DeviceStore } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from '../store/samples.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

let t: TestApi;
const get = async <T>(url: string): Promise<T> => (await t.app.inject({ method: 'GET', url, headers: { cookie: t.cookie } })).json() as T;

/** An alert to `owner`/`org` in `country`, on device phone-a or phone-b (alert() alternates them). */
function to(id: string, n: number, destination: Partial<Alert['destination']>, severity: Alert['severity'] = 'high'): Alert {
  const a = alert(id, n);
  return { ...a, severity, destination: { ...a.destination, ...destination } };
}

beforeAll(async () => {
  t = await testApi();
  const alerts = [
    to('x0', 0, { owner: 'Xiaomi', country: 'SG', chinaLinked: true }, 'critical'),
    to('x1', 1, { owner: 'Xiaomi', country: 'SG', chinaLinked: true }),
    to('g2', 2, { owner: undefined, org: 'Google LLC', country: 'US', chinaLinked: false }, 'medium'),
    to('b3', 3, { owner: 'Baidu', country: 'CN', chinaLinked: true }),
    to('t4', 4, { owner: undefined, org: undefined, registrableDomain: 'tracker.example', country: undefined, chinaLinked: false }, 'low'),
  ];
  // Stored in this order: x0 gets seq 1, t4 seq 5, whatever their request times.
  for (const a of alerts) t.store.record(flowFor(a), [a], undefined);
  new DeviceStore(t.db).record({ id: 'phone-a', ip: '10.42.0.23' }, 1);
  new DeviceStore(t.db).rename('phone-a', "Lin's phone");
});
afterAll(async () => t?.close());

describe('alerts for the page', () => {
  it('pages newest first by the order they were stored, with seq and acknowledged', async () => {
    const first = await get<ListedAlert[]>('/api/alerts?limit=2');
    expect(first.map((a) => [a.id, a.seq, a.acknowledged])).toEqual([['t4', 5, false], ['b3', 4, false]]);
    const next = await get<ListedAlert[]>(`/api/alerts?limit=2&before=${first.at(-1)!.seq}`);
    expect(next.map((a) => a.id)).toEqual(['g2', 'x1']);
    expect((await get<ListedAlert[]>('/api/alerts?limit=2&before=2')).map((a) => a.id)).toEqual(['x0']);
  });

  it('filters by severity, china-linked, device and unread', async () => {
    expect((await get<ListedAlert[]>('/api/alerts?severity=critical,high')).map((a) => a.id)).toEqual(['b3', 'x1', 'x0']);
    expect((await get<ListedAlert[]>('/api/alerts?chinaLinked=false')).map((a) => a.id)).toEqual(['t4', 'g2']);
    expect((await get<ListedAlert[]>('/api/alerts?device=phone-a')).map((a) => a.id)).toEqual(['b3', 'x1']);
    const bad = await t.app.inject({ method: 'GET', url: '/api/alerts?severity=high;DROP', headers: { cookie: t.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'LW_ERR_INVALID_REQUEST' });
  });

  it('sums up each device: receivers by company and country, china-linked, unread, named as the admin named it', async () => {
    const summary = await get<{ unread: number; latestSeq: number; devices: { device: string; name: string | null; alerts: number; unread: number; receivers: { company: string; country: string | null; chinaLinked: boolean; alerts: number }[] }[] }>('/api/alerts/summary');
    expect(summary.unread).toBe(5);
    // The newest alert it counts: the page starts its live stream after it.
    expect(summary.latestSeq).toBe(5);
    const a = summary.devices.find((d) => d.device === 'phone-a')!;
    expect(a).toMatchObject({ name: "Lin's phone", alerts: 2, unread: 2 });
    expect(a.receivers.map((r) => [r.company, r.country, r.chinaLinked, r.alerts])).toEqual([['Baidu', 'CN', true, 1], ['Xiaomi', 'SG', true, 1]]);
    const b = summary.devices.find((d) => d.device === 'phone-b')!;
    // Owner first, then the network's organisation, then the registrable domain.
    expect(b.receivers.map((r) => [r.company, r.country, r.chinaLinked]).sort()).toEqual([['Google LLC', 'US', false], ['Xiaomi', 'SG', true], ['tracker.example', null, false]]);
  });

  it('acknowledges one, then all of a device, then all, and counts what is unread', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/alerts/x0/ack', headers: { cookie: t.cookie } })).json()).toEqual({ ok: true });
    expect((await get<ListedAlert[]>('/api/alerts?unread=true')).map((a) => a.id)).toEqual(['t4', 'b3', 'g2', 'x1']);
    const device = await t.app.inject({ method: 'POST', url: '/api/alerts/ack', headers: { cookie: t.cookie }, payload: { device: 'phone-a' } });
    expect(device.json()).toEqual({ acknowledged: 2 });
    expect((await get<{ unread: number }>('/api/alerts/summary')).unread).toBe(2);
    const all = await t.app.inject({ method: 'POST', url: '/api/alerts/ack', headers: { cookie: t.cookie } });
    expect(all.json()).toEqual({ acknowledged: 2 });
    expect(await get<ListedAlert[]>('/api/alerts?unread=true')).toEqual([]);
    expect((await get<ListedAlert>('/api/alerts/g2')).acknowledged).toBe(true);
    expect((await get<{ alerts: number; unread: number }[]>('/api/devices')).find((d) => d.alerts === 2)).toMatchObject({ unread: 0 });
  });

  it('says the inspection thread did not answer (503) when it cannot write, never that the alert is missing', async () => {
    const down = await testApi({ alertWrites: { acknowledge: () => Promise.reject(new Error('the inspection thread is not running')), acknowledgeAll: () => Promise.reject(new Error('the inspection thread is not running')) } });
    try {
      for (const url of ['/api/alerts/x0/ack', '/api/alerts/ack']) {
        const reply = await down.app.inject({ method: 'POST', url, headers: { cookie: down.cookie } });
        expect(reply.statusCode).toBe(503);
        expect(reply.json()).toMatchObject({ error: 'LW_ERR_INSPECTION_UNAVAILABLE' });
        expect(reply.json().message).toContain('the inspection thread is not running; try again in a moment');
      }
    } finally {
      await down.close();
    }
  });

  it('refuses all of it without the admin session', async () => {
    for (const [method, url] of [['GET', '/api/alerts/summary'], ['POST', '/api/alerts/ack']] as const) {
      expect((await t.app.inject({ method, url })).statusCode).toBe(401);
    }
  });
});
