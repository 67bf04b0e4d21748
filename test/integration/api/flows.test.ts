import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../appliance/src/model/index.js';
import { at, flow, navigation, telemetry } from '../../support/flows.js';
import { alert } from '../store/samples.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

let t: TestApi;
const nav = navigation('https://news.example.org/story?id=7', { time: at(1) });
const leak = telemetry('https://sa.api.intl.miui.com/sa?project=x', '{"url":"https://news.example.org/story?id=7"}', { time: at(2), ip: '8.219.10.20', response: { status: 200, mimeType: 'application/json' } });
const binary = telemetry('https://log.example.cn/up', gzipSync('{"q":"privacy"}'), { time: at(3), device: 'laptop' });
const leakAlert: Alert = { ...alert('al-1', 1), device: 'phone', flow: { ...alert('al-1', 1).flow, id: leak.id } };

beforeAll(async () => {
  t = await testApi();
  leak.httpVersion = 'HTTP/1.1';
  t.store.record(nav, [], undefined);
  t.store.record(leak, [leakAlert], undefined);
  t.store.record(binary, [], undefined);
});
afterAll(async () => t?.app.close());

const get = (url: string, cookie = t.cookie) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const ids = async (query: string) => ((await get(`/api/flows${query}`)).json() as { flows: { id: string }[] }).flows.map((f) => f.id);

describe('GET /api/flows', () => {
  it.each(['/api/flows', `/api/flows/${encodeURIComponent(leak.id)}`])('requires the admin session for %s', async (url) => {
    const r = await get(url, '');
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: 'LW_ERR_AUTH_REQUIRED' });
  });

  it('lists flows newest first with what a list needs', async () => {
    const r = await get('/api/flows');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      flows: [
        expect.objectContaining({ id: binary.id, device: 'laptop' }),
        { id: leak.id, device: 'phone', time: '2026-11-01T10:00:02.000Z', method: 'POST', url: leak.url, host: 'sa.api.intl.miui.com', ip: '8.219.10.20', port: 443, status: 200, bodyBytes: leak.body.length, alertCount: 1 },
        expect.objectContaining({ id: nav.id, status: 200, alertCount: 0 }),
      ],
      nextCursor: null,
    });
  });

  it.each([
    ['?device=phone', [leak.id, nav.id]],
    ['?host=sa.api.intl.miui.com', [leak.id]],
    ['?hostContains=example', [binary.id, nav.id]],
    ['?since=2026-11-01T10:00:02Z&until=2026-11-01T10:00:02.999Z', [leak.id]],
    ['?method=post&device=phone', [leak.id]],
    ['?q=story%3Fid%3D7', [nav.id]],
    ['?hasAlert=true', [leak.id]],
    ['?hasAlert=false&device=phone', [nav.id]],
  ])('filters %s', async (query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it('pages with an opaque cursor until there is no next page', async () => {
    const first = (await get('/api/flows?limit=2')).json() as { flows: { id: string }[]; nextCursor: string };
    expect(first.flows.map((f) => f.id)).toEqual([binary.id, leak.id]);
    const second = (await get(`/api/flows?limit=2&cursor=${first.nextCursor}`)).json() as { flows: { id: string }[]; nextCursor: string | null };
    expect(second).toEqual({ flows: [expect.objectContaining({ id: nav.id })], nextCursor: null });
  });

  it('refuses bad filters with a typed error that says what is wrong', async () => {
    const cursor = await get('/api/flows?cursor=bm9wZQ');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toEqual({ error: 'LW_ERR_BAD_CURSOR', message: 'cursor is not one this API gave out; start again without it and follow nextCursor' });
    for (const query of ['?since=yesterday', '?limit=0', '?limit=501', '?method=GE%20T', '?hasAlert=maybe']) {
      const r = await get(`/api/flows${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json(), query).toMatchObject({ error: 'LW_ERR_INVALID_REQUEST', message: expect.stringContaining('querystring/') });
    }
  });
});

describe('GET /api/flows/:id', () => {
  it('shows a flow with its headers, response, alerts and body as text', async () => {
    const r = await get(`/api/flows/${encodeURIComponent(leak.id)}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      id: leak.id, device: 'phone', time: '2026-11-01T10:00:02.000Z', method: 'POST', url: leak.url, host: 'sa.api.intl.miui.com', ip: '8.219.10.20', port: 443, source: 'har',
      httpVersion: 'HTTP/1.1', headers: leak.headers, response: { status: 200, mimeType: 'application/json' },
      body: { bytes: leak.body.length, excerptBytes: leak.body.length, cut: false, encoding: 'utf8', text: '{"url":"https://news.example.org/story?id=7"}' },
      tls: null,
      alertIds: ['al-1'],
    });
  });

  it('gives a binary body as base64, flagged', async () => {
    const body = ((await get(`/api/flows/${encodeURIComponent(binary.id)}`)).json() as { body: { encoding: string; text: string } }).body;
    expect(body.encoding).toBe('base64');
    expect(Buffer.from(body.text, 'base64')).toEqual(Buffer.from(binary.body));
  });

  it('shows a row stored before schema version 2 with null for what was not recorded', async () => {
    t.db.prepare(`INSERT INTO flows (id, device, time, method, url, host, ip, port, source, status, body_bytes, body_excerpt)
      VALUES ('v1-row', 'phone', 1, 'GET', 'https://a.example/', 'a.example', NULL, 443, 'proxy', NULL, 0, X'')`).run();
    expect((await get('/api/flows/v1-row')).json()).toMatchObject({ ip: null, httpVersion: null, headers: null, response: null, body: { bytes: 0, cut: null, encoding: 'utf8', text: '' } });
  });

  it('shows a bodiless request as an empty, whole body', async () => {
    const plain = flow('https://a.example/x', { time: at(0) });
    t.store.record(plain, [], undefined);
    expect(((await get(`/api/flows/${encodeURIComponent(plain.id)}`)).json() as { body: unknown }).body).toEqual({ bytes: 0, excerptBytes: 0, cut: false, encoding: 'utf8', text: '' });
  });

  it('answers 404 with a typed error for an unknown id', async () => {
    const r = await get('/api/flows/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: 'LW_ERR_FLOW_NOT_FOUND', message: 'no flow nope (retention may have deleted it; search with GET /api/flows)' });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json', '')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/flows', '/api/flows/{id}', '/api/flows/{id}/har', '/api/alerts/{id}/har', '/api/alerts/{id}/bundle', '/api/settings', '/api/devices/{id}']));
  });
});

