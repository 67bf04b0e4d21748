import type { EventEmitter } from 'node:events';
import type { Passthrough } from '../sources/proxy/passthrough.js';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Database as Db } from 'better-sqlite3';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { PcapSliceProvider } from '../export/pcap-slice.js';
import { SELF_TEST_ADDRESS, SELF_TEST_DOMAIN } from '../model/index.js';
import { CanaryService } from '../canary/canary-service.js';
import type { Alert, Attribution, DeviceIdentity, Flow, WebTracker } from '../model/index.js';
import type { PublisherState } from '../notify/publisher.js';
import type { CertificateAuthority } from '../sources/proxy/ca.js';
import { CanaryStore, DeviceStore, FlowStore } from '../store/index.js';
import type { AlertStore, Downtime } from '../store/index.js';
import { firewallStatus } from '../system/firewall.js';
import type { FirewallStatus } from '../system/firewall.js';
import type { Health } from '../system/health.js';
import type { HealthSample } from '../system/health-history.js';
import { SelfTestLog } from '../system/self-test-log.js';
import { leakwatchVersion } from '../version.js';
import type { AdminAuth } from './auth.js';
import { sendError } from './errors.js';
import { mobileconfig } from './mobileconfig.js';
import { alertRoutes } from './routes/alerts.js';
import type { AlertWrites } from './routes/alerts.js';
import { canaryPage, canaryRoutes } from './routes/canaries.js';
import { webTrackerRoutes } from './routes/web-trackers.js';
import { canarySessionPages, canarySessionRoutes } from './routes/canary-sessions.js';
import type { CanaryHooks } from './routes/canaries.js';
import { deviceRoutes } from './routes/devices.js';
import type { DeviceActivity } from './routes/devices.js';
import { eventRoutes } from './routes/events.js';
import { exportRoutes } from './routes/exports.js';
import { flowRoutes } from './routes/flows.js';
import { selfTestRoutes } from './routes/selftest.js';
import { settingsRoutes } from './routes/settings.js';
import { publicInfoRoute, systemRoutes } from './routes/system.js';
import type { SystemDeps } from './routes/system.js';
import { defaultUiRoot, staticUi } from './static-ui.js';

export interface ApiDeps {
  db: Db;
  /** Reads alerts; writes go through `alertWrites`. */
  store: AlertStore;
  alertWrites: AlertWrites;
  auth: AdminAuth;
  ca: CertificateAuthority;
  /** Alerts as they are stored, for Server-Sent Events. */
  live: EventEmitter<{ alert: [Alert] }>;
  health: () => Promise<Health>;
  /** The last hours of health samples; none when not given. */
  history?: () => HealthSample[];
  /** The running configuration, and the settings the admin may change without a restart. */
  settings: RuntimeSettings;
  /** Packets for evidence bundles; absent while packet capture is off. */
  pcap?: PcapSliceProvider;
  /** Bytes per device and destination, and its DNS lookups; absent while packet capture is off. */
  activity?: DeviceActivity;
  /** Tells the running detector about canary tests started and ended; absent where none runs. */
  canaryHooks?: CanaryHooks;
  /** Who addresses belong to (the inspection thread's intel tables); absent where none runs. */
  attribute?: (ips: readonly string[]) => Promise<Attribution[]>;
  /** Pages seen reporting themselves to third parties (the inspection thread's); absent where none runs. */
  webTrackers?: () => Promise<WebTracker[]>;
  /** MQTT delivery as it stands; absent without a broker. */
  mqtt?: () => PublisherState;
  /** The proxy's passthroughs in force now, each with its device's id; absent where no proxy runs. */
  passthroughs?: () => Passthrough[];
  /** The alert path's cost per stage (inspection thread, MQTT delivery); absent where none runs. */
  pipeline?: SystemDeps['pipeline'];
  /** Packet capture's counters (packets, drops, ring size); absent while capture is off. */
  captureCounters?: SystemDeps['capture'];
  /** What the self-test needs beyond the store: the proxy's sightings, who a client is, the firewall. */
  selfTest?: { log: SelfTestLog; identify?: (ip: string) => DeviceIdentity; firewall?: () => Promise<FirewallStatus>; applianceAddresses?: () => string[] };
  /** Canary sessions (the incognito experiment); default: a service whose canaries no detector watches (tests of the API alone). */
  canarySessions?: { service: CanaryService; visited: (flow: Flow) => void; deviceOf: (ip: string) => string };
  /** When leakwatch was not running since a time (nothing was inspected then). */
  downtime?: (since: number) => Downtime[];
  /** The built web page; null: none (tests of the API alone). Default: ui/dist of this install. */
  uiRoot?: string | null;
}

const SESSION = 'lw_session';

/**
 * The appliance's web page and HTTP API (fastify, a JSON schema on every route, OpenAPI at
 * /api/openapi.json). Public: the page's files, health, info, login, the CA downloads, canary
 * pages, the OpenAPI document. Everything else needs the admin session. `build` returns the
 * instance; `leakwatch start` calls listen() (and serves the same routes over HTTPS).
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const config = deps.settings.effective();
  const app = Fastify({ logger: false });
  await app.register(swagger, { openapi: { info: { title: 'leakwatch', version: leakwatchVersion() } } });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"],
        // The self-test fetches its reserved names, which only the proxy answers.
        connectSrc: ["'self'", `http://*.${SELF_TEST_DOMAIN}`, `https://*.${SELF_TEST_DOMAIN}`, `http://${SELF_TEST_ADDRESS}`, `https://${SELF_TEST_ADDRESS}`],
        // The phone opens the page over plain http://10.42.0.1/ before it trusts the CA: upgrading
        // its requests to https would leave the page blank (127.0.0.1 is exempt, so only a real
        // address shows it).
        upgradeInsecureRequests: null,
      },
    },
    // HSTS would lock the phone out of the plain-HTTP page it needs until the CA is trusted.
    hsts: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => ({ statusCode: 429, error: 'LW_ERR_RATE_LIMITED', message: `too many tries: wait ${Math.ceil(context.ttl / 1000)} s, then try again` }),
  });
  // A request the schema refuses gets the same typed error body as every other refusal.
  app.setErrorHandler<FastifyError>((error, _req, reply) => {
    if (error.validation) return sendError(reply, 'LW_ERR_INVALID_REQUEST', `${error.message}; see /api/openapi.json for what this route accepts`);
    if (error.statusCode === 429) return reply.code(429).send({ error: 'LW_ERR_RATE_LIMITED', message: error.message });
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: 'LW_ERR_INVALID_REQUEST', message: error.message });
    return sendError(reply, 'LW_ERR_INTERNAL', `leakwatch failed answering this (${error.message}); see its log`);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 'LW_ERR_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}; /api/openapi.json lists the API, / is the web page`));
  // Every text answer says its charset, so a phone never guesses one for evidence text.
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && /^(text\/|application\/(json|javascript|manifest\+json|x-pem-file))/.test(type) && !/charset=/i.test(type)) reply.header('content-type', `${type}; charset=utf-8`);
    return payload;
  });

  await staticUi(app, deps.uiRoot === undefined ? defaultUiRoot() : (deps.uiRoot ?? undefined));
  app.get('/api/health', { schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));
  await publicInfoRoute(app, { httpsPort: config.api.httpsPort, mode: config.transparent.enabled ? 'transparent' : 'explicit', proxyPort: config.proxy.port });

  app.post<{ Body: { password: string } }>('/api/login', {
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: { body: { type: 'object', required: ['password'], properties: { password: { type: 'string', maxLength: 200 } } }, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 401: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } } } },
  }, async (req, reply) => {
    const token = deps.auth.login(req.body.password, Date.now());
    if (!token) return sendError(reply, 'LW_ERR_LOGIN', 'wrong password (it was set at provisioning, or printed once in the log at first start; `leakwatch password` on the appliance sets a new one)');
    reply.setCookie(SESSION, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https' });
    return { ok: true };
  });

  // CA downloads are public: the phone needs them before it can do anything else. Never the key.
  app.get('/ca/leakwatch-ca.pem', async (_req, reply) => reply.type('application/x-pem-file').header('content-disposition', 'attachment; filename="leakwatch-ca.pem"').send(deps.ca.certificatePem));
  app.get('/ca/leakwatch-ca.crt', async (_req, reply) => reply.type('application/x-x509-ca-cert').header('content-disposition', 'attachment; filename="leakwatch-ca.crt"').send(Buffer.from(deps.ca.certificateDer)));
  app.get('/ca/leakwatch.mobileconfig', async (_req, reply) => reply.type('application/x-apple-aspen-config').header('content-disposition', 'attachment; filename="leakwatch.mobileconfig"').send(mobileconfig(deps.ca.certificateDer)));
  const canaries = new CanaryStore(deps.db);
  await canaryPage(app, { canaries });
  const sessions = deps.canarySessions ?? { service: new CanaryService({ db: deps.db, plant: () => undefined }), visited: () => undefined, deviceOf: (ip: string) => ip };
  await canarySessionPages(app, sessions);
  app.get('/api/openapi.json', async () => app.swagger());

  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (!deps.auth.valid(req.cookies[SESSION], Date.now())) return sendError(reply, 'LW_ERR_AUTH_REQUIRED', 'log in first: POST /api/login with the admin password');
    });
    admin.post('/api/logout', async (req) => {
      deps.auth.logout(req.cookies[SESSION]);
      return { ok: true };
    });

    const flows = new FlowStore(deps.db);
    const devices = new DeviceStore(deps.db);
    await alertRoutes(admin, { db: deps.db, store: deps.store, writes: deps.alertWrites });
    await eventRoutes(admin, { store: deps.store, live: deps.live });
    await flowRoutes(admin, { flows });
    await exportRoutes(admin, {
      store: deps.store, flows, deviceName: (id) => devices.displayName(id),
      appliance: { id: config.mqtt.applianceId, version: leakwatchVersion() },
      ...(deps.pcap ? { pcap: deps.pcap } : {}),
    });
    await settingsRoutes(admin, { settings: deps.settings });
    await deviceRoutes(admin, { devices, flows, ...(deps.activity ? { activity: deps.activity } : {}), ...(deps.attribute ? { attribute: deps.attribute } : {}), ...(deps.passthroughs ? { passthroughs: deps.passthroughs } : {}) });
    await webTrackerRoutes(admin, deps.webTrackers ? { webTrackers: deps.webTrackers } : {});
    await canaryRoutes(admin, { canaries, hooks: deps.canaryHooks ?? { changed: () => undefined } });
    await canarySessionRoutes(admin, {
      ...sessions, flows, appliance: { id: config.mqtt.applianceId, version: leakwatchVersion() }, deviceName: (id) => devices.displayName(id),
      ...(deps.pcap ? { packets: (device: string, from: number, to: number) => deps.pcap!.slice({ device, from, to, ips: [] }) } : {}),
    });
    await systemRoutes(admin, { auth: deps.auth, session: SESSION, health: deps.health, history: deps.history ?? (() => []), downtime: deps.downtime ?? (() => []), ...(deps.mqtt ? { mqtt: deps.mqtt } : {}), ...(deps.passthroughs ? { passthroughs: deps.passthroughs } : {}), ...(deps.pipeline ? { pipeline: deps.pipeline } : {}), ...(deps.captureCounters ? { capture: deps.captureCounters } : {}) });
    const selfTest = deps.selfTest;
    await selfTestRoutes(admin, {
      flows, selfTests: selfTest?.log ?? new SelfTestLog(), transparent: config.transparent.enabled,
      identify: selfTest?.identify ?? ((ip) => ({ id: ip, ip })),
      firewall: selfTest?.firewall ?? firewallStatus,
      applianceAddresses: selfTest?.applianceAddresses ?? (() => [config.api.host, config.proxy.host]),
      ...(deps.activity ? { activity: deps.activity } : {}),
    });
  });
  return app;
}
