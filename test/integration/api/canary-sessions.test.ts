import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

let t: TestApi;
beforeAll(async () => {
  t = await testApi();
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie: t.cookie }, ...(payload ? { payload } : {}) });

describe('canary sessions (API)', () => {
  it('creates a session, opens rounds with fresh canaries, serves the canary page publicly, and reports', async () => {
    const created = await call('POST', '/api/canary-sessions', { app: 'Mint Browser 3.4' });
    expect(created.statusCode).toBe(201);
    const session = created.json() as { id: string; watchMinutes: number; verdict: { summary: string } };
    expect(session).toMatchObject({ watchMinutes: 10, verdict: { summary: 'No round yet: open one, then visit the canary page and search the phrase in the app under test.' } });
    const round = (await call('POST', `/api/canary-sessions/${session.id}/rounds`, { mode: 'incognito' })).json() as { n: number; pageUrl: string; host: string; searchPhrase: string };
    expect(round).toMatchObject({ n: 1, pageUrl: expect.stringMatching(/^http:\/\/[a-z2-9]{10}\.canary\.leakwatch\.internal\/[a-z2-9]{8}$/) });
    const path = new URL(round.pageUrl).pathname;
    const page = await t.app.inject({ method: 'GET', url: path, headers: { host: round.host } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await t.app.inject({ method: 'GET', url: '/wrong', headers: { host: round.host } })).statusCode).toBe(404);
    expect((await call('GET', `/api/canary-sessions/${session.id}`)).json()).toMatchObject({ rounds: [{ n: 1, mode: 'incognito', visited: expect.any(Number) }] });
    const md = await call('GET', `/api/canary-sessions/${session.id}/report.md`);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe(`attachment; filename="leakwatch-canary-${session.id}.md"`);
    expect(md.body).toContain('### Round 1: incognito');
    expect((await call('GET', `/api/canary-sessions/${session.id}/report.json`)).json()).toMatchObject({ session: session.id, rounds: [{ mode: 'incognito', leaked: false }] });
    const zip = unzipSync(new Uint8Array((await call('GET', `/api/canary-sessions/${session.id}/report.zip`)).rawPayload));
    expect(Object.keys(zip).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.json', 'report.md']);
  });

  it('refuses what it cannot do, saying why', async () => {
    expect((await call('POST', '/api/canary-sessions', { app: '' })).json()).toMatchObject({ error: 'LW_ERR_INVALID_REQUEST' });
    expect((await call('GET', '/api/canary-sessions/cs-unknown')).json()).toMatchObject({ error: 'LW_ERR_CANARY_SESSION_NOT_FOUND' });
    const { id } = (await call('POST', '/api/canary-sessions', { app: 'X' })).json() as { id: string };
    await call('POST', `/api/canary-sessions/${id}/close`);
    const refused = await call('POST', `/api/canary-sessions/${id}/rounds`, { mode: 'normal' });
    expect([refused.statusCode, refused.json().error]).toEqual([409, 'LW_ERR_CANARY_SESSION_CLOSED']);
    expect((await t.app.inject({ method: 'GET', url: '/api/canary-sessions' })).statusCode).toBe(401);
  });
});
