import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../appliance/src/config/config.js';
import type { Config } from '../../../appliance/src/config/config.js';
import { REDACTED } from '../../../appliance/src/config/runtime-settings.js';
import { DeviceStore, applyRetention } from '../../../appliance/src/store/index.js';
import { at, flow } from '../../support/flows.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

let t: TestApi;
const config: Config = { ...structuredClone(DEFAULT_CONFIG), mqtt: { ...DEFAULT_CONFIG.mqtt, url: 'mqtt://leakwatch:broker-pw@10.42.0.1', password: 'broker-pw', applianceId: 'pi-kitchen' }, api: { ...DEFAULT_CONFIG.api, password: 'admin-pw' } };

beforeAll(async () => {
  t = await testApi({ config });
});
afterAll(async () => t?.app.close());

const send = (method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: object, cookie = t.cookie) =>
  t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

describe('GET and PUT /api/settings', () => {
  it.each([['GET', '/api/settings'], ['PUT', '/api/settings'], ['PATCH', '/api/devices/x']] as const)('requires the admin session for %s %s', async (method, url) => {
    expect((await send(method, url, method === 'GET' ? undefined : { name: 'x' }, '')).statusCode).toBe(401);
  });

  it('shows the running configuration with every password hidden, and what can change without a restart', async () => {
    const r = await send('GET', '/api/settings');
    expect(r.statusCode).toBe(200);
    const body = r.json() as { config: Config; overrides: object; changeable: object };
    expect(r.body).not.toContain('broker-pw');
    expect(r.body).not.toContain('admin-pw');
    expect(body.config).toEqual({ ...config, mqtt: { ...config.mqtt, url: `mqtt://leakwatch:${REDACTED}@10.42.0.1`, password: REDACTED }, api: { ...config.api, password: REDACTED } });
    expect(body.overrides).toEqual({});
    expect(body.changeable).toEqual({ 'retention.maxAgeDays': { minimum: 1 }, 'retention.maxBytes': { minimum: 16 * 1024 * 1024 } });
  });

  it('changes retention, which the next retention pass applies', async () => {
    const r = await send('PUT', '/api/settings', { 'retention.maxAgeDays': 1 });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ config: { retention: { maxAgeDays: 1, maxBytes: DEFAULT_CONFIG.retention.maxBytes } }, overrides: { 'retention.maxAgeDays': 1 } });
    t.store.record(flow('https://a.example/old', { time: at(0) }), [], undefined);
    expect(applyRetention(t.db, t.settings.retention(), at(0) + 2 * 24 * 3600 * 1000).flowsDeleted).toBe(1);
    expect((await send('PUT', '/api/settings', { 'retention.maxAgeDays': null })).json()).toMatchObject({ config: { retention: { maxAgeDays: 90 } }, overrides: {} });
  });

  it.each([
    [{ 'proxy.port': 3128 }, 'LW_ERR_SETTING_NOT_CHANGEABLE', 'proxy.port cannot be changed while leakwatch runs; set it in the config file or environment and restart'],
    [{ 'retention.maxAgeDays': 0 }, 'LW_ERR_INVALID_REQUEST', 'must be >= 1'],
    [{ 'retention.maxBytes': 'lots' }, 'LW_ERR_INVALID_REQUEST', 'must be integer,null'],
    [{}, 'LW_ERR_INVALID_REQUEST', 'must NOT have fewer than 1 properties'],
  ])('refuses %j with a typed error', async (payload, error, message) => {
    const r = await send('PUT', '/api/settings', payload);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ error, message: expect.stringContaining(message) });
    expect(t.settings.overrides()).toEqual({});
  });
});

describe('PATCH /api/devices/:id', () => {
  it('names a device seen before, shows the name in the device list and in HAR exports, and clears it', async () => {
    const f = flow('https://a.example/', { device: 'aa:bb:cc:dd:ee:ff', time: at(5) });
    new DeviceStore(t.db).record({ id: 'aa:bb:cc:dd:ee:ff', ip: '10.42.0.50', mac: 'aa:bb:cc:dd:ee:ff' }, at(5));
    t.store.record(f, [], undefined);
    expect((await send('PATCH', '/api/devices/aa:bb:cc:dd:ee:ff', { name: "  Lin's Redmi  " })).json()).toEqual({ id: 'aa:bb:cc:dd:ee:ff', name: "Lin's Redmi" });
    expect((await send('GET', '/api/devices')).json()).toContainEqual(expect.objectContaining({ id: 'aa:bb:cc:dd:ee:ff', name: "Lin's Redmi" }));
    const har = (await send('GET', `/api/flows/${encodeURIComponent(f.id)}/har`)).json() as { log: { _leakwatch: object; comment: string } };
    expect(har.log._leakwatch).toMatchObject({ applianceId: 'pi-kitchen', device: 'aa:bb:cc:dd:ee:ff', deviceName: "Lin's Redmi" });
    expect(har.log.comment).toContain("device aa:bb:cc:dd:ee:ff (Lin's Redmi)");
    expect((await send('PATCH', '/api/devices/aa:bb:cc:dd:ee:ff', { name: null })).json()).toEqual({ id: 'aa:bb:cc:dd:ee:ff', name: null });
  });

  it('answers 404 for a device never seen, 400 for a name that is too long', async () => {
    expect((await send('PATCH', '/api/devices/nope', { name: 'x' })).json()).toEqual({ error: 'LW_ERR_DEVICE_NOT_FOUND', message: 'no device nope; GET /api/devices lists the devices seen' });
    expect((await send('PATCH', '/api/devices/nope', { name: 'x'.repeat(101) })).statusCode).toBe(400);
  });
});
