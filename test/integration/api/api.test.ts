import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAuth } from '../../../appliance/src/api/auth.js';
import { readHealth } from '../../../appliance/src/system/health.js';
import { buildApi } from '../../../appliance/src/api/build.js';
import { DEFAULT_CONFIG } from '../../../appliance/src/config/config.js';
import { RuntimeSettings } from '../../../appliance/src/config/runtime-settings.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import type { CertificateAuthority } from '../../../appliance/src/sources/proxy/ca.js';
import { AlertStore, DeviceStore, openDatabase } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from '../store/samples.js';
import { alertWritesOn } from '../../support/alert-writes.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-api-'));
let app: FastifyInstance;
let ca: CertificateAuthority;
const live = new EventEmitter<{ alert: [Alert] }>();
let cookie = '';
let store: AlertStore;

beforeAll(async () => {
  const db = openDatabase(join(dir, 'leakwatch.db'));
  store = new AlertStore(db);
  // As the appliance does: the proxy's thread records each device (DeviceStore), then its flows are stored.
  const devices = new DeviceStore(db);
  for (let i = 0; i < 4; i++) {
    const a = alert(`a${i}`, i);
    devices.record({ id: a.device, ip: '10.42.0.50' }, Date.parse(a.time));
    store.record(flowFor(a), [a], undefined);
  }
  ca = await loadOrCreateCa(dir);
  const { auth } = AdminAuth.init(db, 'correct horse battery staple');
  app = await buildApi({ db, store, alertWrites: alertWritesOn(db), auth, ca, live, health: () => readHealth(dir), settings: new RuntimeSettings(db, DEFAULT_CONFIG) });
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { password: 'correct horse battery staple' } });
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => app?.close());

describe('the API', () => {
  it.each(['/api/alerts', '/api/alerts/a1', '/api/devices', '/api/events'])('requires the admin session for %s', async (url) => {
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ error: 'LW_ERR_AUTH_REQUIRED', message: 'log in first: POST /api/login with the admin password' });
  });

  it('refuses a wrong password and rate-limits logins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.42.0.77', payload: { password: 'guess' } })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('lists, filters, shows and acknowledges alerts with the session', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/alerts?chinaLinked=true', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect((list.json() as Alert[]).map((a) => a.id)).toEqual(['a2', 'a1']);
    expect((await app.inject({ method: 'GET', url: '/api/alerts/a1', headers: { cookie } })).json()).toMatchObject({ id: 'a1', destination: { chinaLinked: true } });
    expect((await app.inject({ method: 'GET', url: '/api/alerts/nope', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/alerts/a1/ack', headers: { cookie } })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/api/devices', headers: { cookie } })).json()).toHaveLength(2);
  });

  it('serves the CA certificate for phones (PEM, DER, iOS profile), never the key, and sends security headers', async () => {
    const pem = await app.inject({ method: 'GET', url: '/ca/leakwatch-ca.pem' });
    expect(pem.body).toBe(ca.certificatePem);
    expect(pem.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(pem.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: '/ca/leakwatch-ca.crt' })).rawPayload).toEqual(Buffer.from(ca.certificateDer));
    expect((await app.inject({ method: 'GET', url: '/ca/leakwatch.mobileconfig' })).body).toContain('com.apple.security.root');
    for (const url of ['/ca/leakwatch-ca.key', '/ca/../ca/leakwatch-ca.key', '/api/ca/key']) expect((await app.inject({ method: 'GET', url })).body).not.toContain('PRIVATE KEY');
  });

  it('reports the appliance\'s health to the admin', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/system' })).statusCode).toBe(401);
    const h = (await app.inject({ method: 'GET', url: '/api/system', headers: { cookie } })).json() as { memory: { totalBytes: number } };
    expect(h.memory.totalBytes).toBeGreaterThan(0);
  });

  it('publishes an OpenAPI document of its routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/alerts', '/api/alerts/{id}', '/api/login', '/api/health']));
  });

  it('streams new alerts as Server-Sent Events over a real socket', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const got = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += String(c);
          if (text.includes(': connected')) {
            store.record(flowFor(alert('sse1', 9)), [alert('sse1', 9)], undefined);
            live.emit('alert', alert('sse1', 9));
          }
          if (text.includes('event: alert')) {
            resolve(text);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(got).toMatch(/id: 5\nevent: alert\ndata: \{"id":"sse1".*"seq":5,"acknowledged":false\}\n\n/);
  });
});
