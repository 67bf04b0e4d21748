import type { FastifyInstance } from 'fastify';
import type { Passthrough } from '../../sources/proxy/passthrough.js';
import type { StageCosts } from '../../inspect/stage-costs.js';
import type { PublisherState } from '../../notify/publisher.js';
import type { Health } from '../../system/health.js';
import type { Downtime } from '../../store/index.js';
import type { HealthSample } from '../../system/health-history.js';
import { leakwatchVersion } from '../../version.js';
import type { AdminAuth } from '../auth.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

/** What the page may know before logging in: nothing about traffic, only how to reach the appliance. */
export interface PublicInfo {
  /** The port of the HTTPS page (a leaf from the appliance CA). */
  httpsPort: number;
  /** transparent: the hotspot's traffic is redirected (the Pi); explicit: devices set the proxy themselves (a laptop). */
  mode: 'transparent' | 'explicit';
  /** The explicit proxy's port, for devices that set it by hand. */
  proxyPort: number;
}

export interface SystemDeps {
  auth: AdminAuth;
  session: string;
  health: () => Promise<Health>;
  history: () => HealthSample[];
  /** When leakwatch was not running, since a time. */
  downtime: (since: number) => Downtime[];
  /** MQTT delivery; absent when no broker is configured. */
  mqtt?: () => PublisherState;
  /** The proxy's passthroughs in force now (hosts not inspected for some client); none where no proxy runs. */
  passthroughs?: () => Passthrough[];
  /** Packet capture's kernel counters and its ring's size; absent while capture is off. */
  capture?: () => CaptureCounters;
  /** Where the time of the alert path goes (the inspection thread's stages, MQTT delivery); absent where none runs. */
  pipeline?: () => Promise<{ stages: StageCosts; published: { delivered: number; ms: number } | null }>;
}

/** What packet capture saw since it began: packets dropped were missing from the evidence and byte counts. */
export interface CaptureCounters {
  packets: number;
  droppedPackets: number;
  bufferBytes: number;
}

/** The alert path's cost per stage since start, in ms per flow, per batch and per alert delivered. */
async function pipelineCosts(deps: SystemDeps): Promise<object | null> {
  const costs = await deps.pipeline?.().catch(() => undefined);
  if (!costs) return null;
  const { stages, published } = costs;
  const per = (ms: number, n: number) => (n > 0 ? Math.round((ms / n) * 1000) / 1000 : null);
  return {
    flows: stages.flows, detectMsPerFlow: per(stages.detectMs, stages.flows),
    batches: stages.batches, storeMsPerBatch: per(stages.storeMs, stages.batches), storeMsPerFlow: per(stages.storeMs, stages.flows),
    alertsDelivered: published?.delivered ?? 0, publishMsPerAlert: published ? per(published.ms, published.delivered) : null,
  };
}

/** How much is not inspected now, and why: the hosts, the devices, the count per reason. */
function notInspected(passthroughs: Passthrough[]): { hosts: number; devices: number; reasons: Record<Passthrough['reason'], number> } {
  const reasons: Record<Passthrough['reason'], number> = { 'certificate-rejected': 0, 'repeated-refusals': 0, 'refused-after-accepting': 0 };
  for (const p of passthroughs) reasons[p.reason]++;
  return { hosts: new Set(passthroughs.map((p) => p.host)).size, devices: new Set(passthroughs.map((p) => p.device)).size, reasons };
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

const sampleSchema = {
  type: 'object',
  required: ['time', 'loadPercent', 'temperatureC', 'memoryUsedPercent', 'diskUsedPercent', 'throttled'],
  properties: {
    time: { type: 'integer' }, loadPercent: { type: 'number' }, temperatureC: { type: ['number', 'null'] }, memoryUsedPercent: { type: 'number' },
    diskUsedPercent: { type: ['number', 'null'] }, throttled: { type: 'boolean' },
  },
} as const;

/** Public: the version and how the page is reached over HTTPS (it holds no data). */
export async function publicInfoRoute(app: FastifyInstance, info: PublicInfo): Promise<void> {
  app.get('/api/info', {
    schema: {
      response: {
        200: {
          type: 'object', required: ['version', 'httpsPort', 'mode', 'proxyPort'],
          properties: { version: { type: 'string' }, httpsPort: { type: 'integer' }, mode: { type: 'string', enum: ['transparent', 'explicit'] }, proxyPort: { type: 'integer' } },
        },
      },
    },
  }, async () => ({ version: leakwatchVersion(), ...info }));
}

/** The appliance's health now and over the last hours, MQTT delivery, and the admin password (admin). */
export async function systemRoutes(app: FastifyInstance, deps: SystemDeps): Promise<void> {
  app.get('/api/system', { schema: { response: { 200: { type: 'object', additionalProperties: true, required: ['time', 'uptimeSeconds', 'cpu', 'memory', 'mqtt', 'notInspected'] } } } }, async () => ({
    ...(await deps.health()),
    mqtt: deps.mqtt?.() ?? null,
    notInspected: notInspected(deps.passthroughs?.() ?? []),
    capture: deps.capture?.() ?? null,
    pipeline: await pipelineCosts(deps),
  }));

  app.get('/api/system/downtime', {
    schema: {
      description: "the last week's times leakwatch was not running: phones had internet then (the redirect is removed while it is down), but nothing was inspected",
      response: { 200: { type: 'array', items: { type: 'object', required: ['start', 'end', 'reason'], properties: { start: { type: 'integer' }, end: { type: 'integer' }, reason: { type: 'string', enum: ['stopped', 'crashed'] } } } } },
    },
  }, async () => deps.downtime(Date.now() - WEEK_MS));

  app.get('/api/system/history', { schema: { response: { 200: { type: 'array', items: sampleSchema } } } }, async () => deps.history());

  app.post<{ Body: { current: string; next: string } }>('/api/password', {
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: {
      description: 'changes the admin password; every other session ends',
      body: { type: 'object', required: ['current', 'next'], additionalProperties: false, properties: { current: { type: 'string', maxLength: 200 }, next: { type: 'string', maxLength: 200 } } },
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 400: errorSchema, 403: errorSchema },
    },
  }, async (req, reply) => {
    if (req.body.next.length < 8) return sendError(reply, 'LW_ERR_PASSWORD_TOO_SHORT', 'the new password needs at least 8 characters');
    if (!deps.auth.change(req.body.current, req.body.next, req.cookies[deps.session])) return sendError(reply, 'LW_ERR_WRONG_PASSWORD', 'the current password is wrong; nothing was changed');
    return { ok: true };
  });
}
