import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttps } from '../../../appliance/src/api/https-server.js';
import { APPLIANCE_DOMAIN } from '../../../appliance/src/model/index.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

const ui = mkdtempSync(join(tmpdir(), 'lw-ui-'));
let t: TestApi;
let unbuilt: TestApi;

beforeAll(async () => {
  mkdirSync(join(ui, 'assets'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>leakwatch</title><script type="module" src="/assets/index-AbCd1234.js"></script>');
  writeFileSync(join(ui, 'assets', 'index-AbCd1234.js'), 'console.log("ui")');
  writeFileSync(join(ui, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  t = await testApi({ uiRoot: ui });
  unbuilt = await testApi({ uiRoot: join(ui, 'missing') });
});
afterAll(async () => {
  await t?.close();
  await unbuilt?.close();
  rmSync(ui, { recursive: true, force: true });
});

describe('the web page', () => {
  it('serves the built page at / with a strict CSP that still works over plain http on the hotspot address', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain('connect-src \'self\' http://*.selftest.leakwatch.internal https://*.selftest.leakwatch.internal http://192.0.2.1 https://192.0.2.1');
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const script = await t.app.inject({ method: 'GET', url: '/assets/index-AbCd1234.js' });
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await t.app.inject({ method: 'GET', url: '/sw.js' })).headers['cache-control']).toBe('no-cache');
  });

  it('says how to build the page when it is not built, and the API still answers', async () => {
    const r = await unbuilt.app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ error: 'LW_ERR_UI_NOT_BUILT', message: expect.stringContaining('run npm run build') });
    expect((await unbuilt.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
  });

  it('answers unknown routes, rate limits and public info in the API error shape, with a charset on every text answer', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'LW_ERR_NOT_FOUND', message: 'no route GET /api/nothing-here; /api/openapi.json lists the API, / is the web page' });
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
    let last;
    for (let i = 0; i < 6; i++) last = await t.app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.42.0.99', payload: { password: 'nope' } });
    expect(last!.statusCode).toBe(429);
    expect(last!.json()).toEqual({ error: 'LW_ERR_RATE_LIMITED', message: expect.stringMatching(/^too many tries: wait \d+ s, then try again$/) });
    expect((await t.app.inject({ method: 'GET', url: '/api/info' })).json()).toEqual({ version: expect.any(String), httpsPort: 8444, mode: 'explicit', proxyPort: 8888 });
    expect((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/ca/leakwatch-ca.pem' })).headers['content-type']).toBe('application/x-pem-file; charset=utf-8');
  });

  it('serves the same page and API over HTTPS with a leaf from the appliance CA, for the address and the appliance name', async () => {
    const ca = await loadOrCreateCa(t.dir);
    const server = await listenHttps(t.app, { host: '127.0.0.1', port: 0, leaves: new LeafCertificates(ca), names: [APPLIANCE_DOMAIN] });
    const port = (server.address() as AddressInfo).port;
    const fetchHttps = (servername?: string) => new Promise<{ status: number; body: string; subject: string }>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port, path: '/api/health', ca: ca.certificatePem, agent: false, ...(servername ? { servername } : {}) }, (res) => {
        const subject = (res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '';
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode!, body, subject }));
      }).on('error', reject);
    });
    try {
      expect(await fetchHttps()).toEqual({ status: 200, body: '{"status":"ok"}', subject: 'IP Address:127.0.0.1' });
      expect(await fetchHttps(APPLIANCE_DOMAIN)).toMatchObject({ status: 200, subject: `DNS:${APPLIANCE_DOMAIN}` });
      // A name that is not the appliance's gets the address's certificate, which that name does not match.
      await expect(fetchHttps('bank.example')).rejects.toThrow(/altnames/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
