import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Database as Db } from 'better-sqlite3';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { PcapSliceProvider } from '../export/pcap-slice.js';
import type { Alert } from '../model/index.js';
import type { CertificateAuthority } from '../sources/proxy/ca.js';
import { CanaryStore, DeviceStore, FlowStore } from '../store/index.js';
import type { AlertStore } from '../store/index.js';
import type { Health } from '../system/health.js';
import { leakwatchVersion } from '../version.js';
import type { AdminAuth } from './auth.js';
import { mobileconfig } from './mobileconfig.js';
import { exportRoutes } from './routes/exports.js';
import { flowRoutes } from './routes/flows.js';
import { canaryPage, canaryRoutes } from './routes/canaries.js';
import type { CanaryHooks } from './routes/canaries.js';
import { deviceRoutes } from './routes/devices.js';
import type { DeviceActivity } from './routes/devices.js';
import { settingsRoutes } from './routes/settings.js';
import { alertSchema, errorSchema } from './schemas.js';

export interface ApiDeps {
  db: Db;
  store: AlertStore;
  auth: AdminAuth;
  ca: CertificateAuthority;
  /** Alerts as they are stored, for Server-Sent Events. */
  live: EventEmitter<{ alert: [Alert] }>;
  health: () => Promise<Health>;
  /** The running configuration, and the settings the admin may change without a restart. */
  settings: RuntimeSettings;
  /** Packets for evidence bundles; absent while packet capture is off. */
  pcap?: PcapSliceProvider;
  /** Bytes per device and destination, and its DNS lookups; absent while packet capture is off. */
  activity?: DeviceActivity;
  /** Tells the running detector about canary tests started and ended; absent where none runs. */
  canaryHooks?: CanaryHooks;
}

const SESSION = 'lw_session';

/**
 * The appliance's HTTP API (fastify, a JSON schema on every route, OpenAPI at /api/openapi.json).
 * Public: health, login, the CA certificate downloads, canary pages. Everything else needs the admin session.
 * `build` returns the instance; `leakwatch start` calls listen().
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(swagger, { openapi: { info: { title: 'leakwatch', version: '1' } } });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], frameAncestors: ["'none'"] } },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  // A request the schema refuses gets the same typed error body as every other refusal.
  app.setErrorHandler<FastifyError>((error, _req, reply) => {
    if (!error.validation) return reply.send(error);
    return reply.code(400).send({ error: 'LW_ERR_INVALID_REQUEST', message: `${error.message}; see /api/openapi.json for what this route accepts` });
  });

  app.get('/api/health', { schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.post<{ Body: { password: string } }>('/api/login', {
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: { body: { type: 'object', required: ['password'], properties: { password: { type: 'string', maxLength: 200 } } }, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 401: errorSchema } },
  }, async (req, reply) => {
    const token = deps.auth.login(req.body.password, Date.now());
    if (!token) return reply.code(401).send({ error: 'LW_ERR_LOGIN', message: 'wrong password (it was set at provisioning, or printed once in the log at first start)' });
    reply.setCookie(SESSION, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https' });
    return { ok: true };
  });

  // CA downloads are public: the phone needs them before it can do anything else. Never the key.
  app.get('/ca/leakwatch-ca.pem', async (_req, reply) => reply.type('application/x-pem-file').send(deps.ca.certificatePem));
  app.get('/ca/leakwatch-ca.crt', async (_req, reply) => reply.type('application/x-x509-ca-cert').send(Buffer.from(deps.ca.certificateDer)));
  const canaries = new CanaryStore(deps.db);
  await canaryPage(app, { canaries });
  app.get('/ca/leakwatch.mobileconfig', async (_req, reply) => reply.type('application/x-apple-aspen-config').send(mobileconfig(deps.ca.certificateDer)));

  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (!deps.auth.valid(req.cookies[SESSION], Date.now())) return reply.code(401).send({ error: 'LW_ERR_AUTH_REQUIRED', message: 'log in first: POST /api/login with the admin password' });
    });

    admin.get<{ Querystring: { since?: string; device?: string; chinaLinked?: boolean; limit?: number } }>('/api/alerts', {
      schema: {
        querystring: { type: 'object', properties: { since: { type: 'string' }, device: { type: 'string' }, chinaLinked: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: { 200: { type: 'array', items: alertSchema } },
      },
    }, async (req) => {
      const { since, device, chinaLinked, limit } = req.query;
      return deps.store.list({ ...(since ? { since: Date.parse(since) } : {}), ...(device ? { device } : {}), ...(chinaLinked !== undefined ? { chinaLinked } : {}), ...(limit ? { limit } : {}) });
    });

    admin.get<{ Params: { id: string } }>('/api/alerts/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 200: alertSchema, 404: errorSchema } } }, async (req, reply) => {
      const alert = deps.store.get(req.params.id);
      return alert ?? reply.code(404).send({ error: 'LW_ERR_ALERT_NOT_FOUND', message: `no alert ${req.params.id}` });
    });

    admin.post<{ Params: { id: string } }>('/api/alerts/:id/ack', { schema: { params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 404: errorSchema } } }, async (req, reply) =>
      deps.store.acknowledge(req.params.id) ? { ok: true } : reply.code(404).send({ error: 'LW_ERR_ALERT_NOT_FOUND', message: `no alert ${req.params.id}` }),
    );

    // Live alerts as Server-Sent Events, for the phone's page. A stream never ends by itself, so
    // closing the API ends the open ones (the page reconnects) instead of waiting for them.
    const streams = new Set<ServerResponse>();
    admin.addHook('preClose', async () => {
      for (const stream of streams) stream.end();
    });
    admin.get('/api/events', async (req, reply) => {
      reply.hijack();
      streams.add(reply.raw);
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      reply.raw.write(': connected\n\n');
      const send = (alert: Alert) => reply.raw.write(`id: ${alert.id}\nevent: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      deps.live.on('alert', send);
      req.raw.on('close', () => {
        deps.live.off('alert', send);
        streams.delete(reply.raw);
      });
    });

    admin.get('/api/system', { schema: { response: { 200: { type: 'object', additionalProperties: true, required: ['time', 'uptimeSeconds', 'cpu', 'memory'] } } } }, async () => deps.health());

    admin.post('/api/logout', async (req) => {
      deps.auth.logout(req.cookies[SESSION]);
      return { ok: true };
    });

    const flows = new FlowStore(deps.db);
    const devices = new DeviceStore(deps.db);
    await flowRoutes(admin, { flows });
    await exportRoutes(admin, {
      store: deps.store, flows, deviceName: (id) => devices.displayName(id),
      appliance: { id: deps.settings.effective().mqtt.applianceId, version: leakwatchVersion() },
      ...(deps.pcap ? { pcap: deps.pcap } : {}),
    });
    await settingsRoutes(admin, { settings: deps.settings });
    await deviceRoutes(admin, { devices, ...(deps.activity ? { activity: deps.activity } : {}) });
    await canaryRoutes(admin, { canaries, hooks: deps.canaryHooks ?? { changed: () => undefined } });
  });

  app.get('/api/openapi.json', async () => app.swagger());
  return app;
}
