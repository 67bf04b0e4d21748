import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../appliance/src/model/index.js';
import { at, telemetry } from '../../support/flows.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

let t: TestApi;
const changes: string[] = [];

beforeAll(async () => {
  t = await testApi({ canaryHooks: { changed: (action, token) => changes.push(`${action} ${token}`) } });
});
afterAll(async () => t?.app.close());

const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = t.cookie) =>
  t.app.inject({ method, url, headers: { ...(cookie ? { cookie } : {}), host: '10.42.0.1' }, ...(payload ? { payload } : {}) });

describe('canary tests', () => {
  it.each([['GET', '/api/canaries'], ['POST', '/api/canaries'], ['DELETE', '/api/canaries/lwc-abcdefgh']] as const)('require the admin session for %s %s', async (method, url) => {
    expect((await send(method, url, method === 'POST' ? {} : undefined, '')).statusCode).toBe(401);
  });

  it('starts a test: a token to search for or a page to open, planted in the running detector', async () => {
    const r = await send('POST', '/api/canaries', { note: 'Mint browser, incognito' });
    expect(r.statusCode).toBe(201);
    const test = r.json() as { token: string; searchTerm: string; pageUrl: string };
    expect(test).toMatchObject({ token: expect.stringMatching(/^lwc-[a-z2-9]{8}$/), note: 'Mint browser, incognito', alerts: 0, lastSeen: null });
    expect(test.searchTerm).toBe(`leakwatch ${test.token}`);
    expect(test.pageUrl).toBe(`http://10.42.0.1/canary/${test.token}`);
    expect(changes).toEqual([`add ${test.token}`]);

    const page = await send('GET', `/canary/${test.token}`, undefined, '');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(test.token);
    expect((await send('GET', '/canary/lwc-abcdefgh', undefined, '')).statusCode).toBe(404);
  });

  it('counts the proven alerts a token raised, and forgets the test (not its alerts) when deleted', async () => {
    const { token } = (await send('POST', '/api/canaries', {})).json() as { token: string };
    const leak = telemetry('https://sa.example.cn/sa', `q=leakwatch ${token}`, { time: at(9) });
    const alert = { id: 'proven-1', time: new Date(at(9)).toISOString(), severity: 'critical', confidence: 'proven', device: 'phone', data: { kind: 'canary', value: token, matched: token, form: 'canary' }, path: 'form:q', destination: { host: 'sa.example.cn', port: 443, chinaLinked: true, reasons: [] }, flow: { id: leak.id, method: 'POST', url: leak.url, time: new Date(at(9)).toISOString(), source: 'har' }, evidence: { excerpt: token, highlight: [0, token.length], steps: [] } } satisfies Alert;
    t.store.record(leak, [alert], undefined);
    const listed = (await send('GET', '/api/canaries')).json() as { token: string; alerts: number; lastSeen: number | null }[];
    expect(listed.find((c) => c.token === token)).toMatchObject({ alerts: 1, lastSeen: at(9) });

    expect((await send('DELETE', `/api/canaries/${token}`)).json()).toEqual({ ok: true });
    expect(changes.at(-1)).toBe(`remove ${token}`);
    expect(((await send('GET', '/api/canaries')).json() as { token: string }[]).map((c) => c.token)).not.toContain(token);
    expect(t.store.get('proven-1')).toBeDefined();
    expect((await send('DELETE', `/api/canaries/${token}`)).json()).toMatchObject({ error: 'LW_ERR_CANARY_NOT_FOUND' });
  });
});
