import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CanarySessionError } from '../../canary/canary-service.js';
import type { CanaryService } from '../../canary/canary-service.js';
import { reportMarkdown } from '../../canary/report-markdown.js';
import { canaryHost, canaryPage, hostTokenOf } from '../../canary/round-canaries.js';
import { buildSessionBundle } from '../../export/session-bundle.js';
import type { PcapSlice } from '../../export/pcap-slice.js';
import type { Flow, Header } from '../../model/index.js';
import { initiatorFromHeaders } from '../../model/index.js';
import type { CanaryRound, CanarySession, FlowStore } from '../../store/index.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

export interface CanarySessionDeps {
  service: CanaryService;
  flows: FlowStore;
  appliance: { id: string; version: string };
  deviceName: (device: string) => string | undefined;
  /** A canary page was opened: the visit as the phone's browsing (a page load the detector and the store see). */
  visited: (flow: Flow) => void;
  /** Who a client address is (its MAC when the hotspot knows it). */
  deviceOf: (ip: string) => string;
  /** Packets of the session's device for its report; absent while capture is off. */
  packets?: (device: string, from: number, to: number) => Promise<PcapSlice>;
}

const roundSchema = {
  type: 'object',
  required: ['n', 'mode', 'opened', 'closed', 'pageUrl', 'host', 'searchPhrase', 'visited'],
  properties: {
    n: { type: 'integer' }, mode: { type: 'string' }, opened: { type: 'integer' }, closed: { type: ['integer', 'null'] },
    pageUrl: { type: 'string', description: "open this page in the browser under test (only this appliance's DNS knows its host)" },
    host: { type: 'string' },
    searchPhrase: { type: 'string', description: "type this into the browser's search box" },
    visited: { type: ['integer', 'null'], description: 'when the canary page was first opened' },
  },
} as const;

const sessionSchema = {
  type: 'object',
  required: ['id', 'created', 'app', 'device', 'watchMinutes', 'closed', 'rounds', 'verdict'],
  properties: {
    id: { type: 'string' }, created: { type: 'integer' }, app: { type: 'string' }, device: { type: ['string', 'null'] },
    watchMinutes: { type: 'integer' }, closed: { type: ['integer', 'null'] },
    rounds: { type: 'array', items: roundSchema },
    verdict: { type: 'object', additionalProperties: true, description: 'per round: leaked or not, to whom, which canary, how encoded, how long after the visit, what could not be seen; and one sentence for the session' },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;

function roundView(r: CanaryRound) {
  return { n: r.n, mode: r.mode, opened: r.opened, closed: r.closed, pageUrl: canaryPage(r), host: canaryHost(r), searchPhrase: r.phrase, visited: r.visited };
}

/** File names from ids: letters, digits and dashes only. */
const fileSafe = (id: string) => id.replace(/[^A-Za-z0-9-]+/g, '_');

/**
 * Canary sessions (admin): the incognito experiment. A session names the app (and device) under
 * test; each round has a mode and fresh canaries; the verdict is live while watching and kept after.
 * Reports as Markdown, JSON, and a zip with both and the evidence (HAR, packets).
 */
export async function canarySessionRoutes(app: FastifyInstance, deps: CanarySessionDeps): Promise<void> {
  const view = (s: CanarySession) => ({
    id: s.id, created: s.created, app: s.app, device: s.device, watchMinutes: Math.round(s.watchMs / 60_000), closed: s.closed,
    rounds: s.rounds.map(roundView), verdict: deps.service.verdict(s.id).verdict,
  });
  const failed = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof CanarySessionError)) throw error;
    return sendError(reply, error.code, error.message);
  };

  app.post<{ Body: { app: string; device?: string | null; watchMinutes?: number } }>('/api/canary-sessions', {
    schema: {
      body: {
        type: 'object', required: ['app'], additionalProperties: false,
        properties: {
          app: { type: 'string', minLength: 1, maxLength: 200, description: 'the app under test, e.g. "Mint Browser 3.4"' },
          device: { type: ['string', 'null'], maxLength: 200, description: 'the device under test (GET /api/devices); null: any' },
          watchMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 10, description: 'how long after each round its canaries are still watched' },
        },
      },
      response: { 201: sessionSchema, 400: errorSchema },
    },
  }, async (req, reply) => reply.code(201).send(view(deps.service.create(req.body.app.trim(), req.body.device ?? null, req.body.watchMinutes ?? 10))));

  app.get('/api/canary-sessions', { schema: { response: { 200: { type: 'array', items: sessionSchema } } } }, async () => deps.service.list().map(view));

  app.get<{ Params: { id: string } }>('/api/canary-sessions/:id', { schema: { params: idParams, response: { 200: sessionSchema, 404: errorSchema } } }, async (req, reply) => {
    try {
      return view(deps.service.get(req.params.id));
    } catch (error) {
      return failed(reply, error);
    }
  });

  app.post<{ Params: { id: string }; Body: { mode: string } }>('/api/canary-sessions/:id/rounds', {
    schema: {
      description: 'closes the open round, if any, and opens the next one with fresh canaries, watched at once',
      params: idParams,
      body: { type: 'object', required: ['mode'], additionalProperties: false, properties: { mode: { type: 'string', minLength: 1, maxLength: 60, description: 'normal, incognito, private, or your own words' } } },
      response: { 201: roundSchema, 404: errorSchema, 409: errorSchema },
    },
  }, async (req, reply) => {
    try {
      return reply.code(201).send(roundView(deps.service.openRound(req.params.id, req.body.mode.trim())));
    } catch (error) {
      return failed(reply, error);
    }
  });

  for (const [path, act] of [['rounds/close', (id: string) => deps.service.closeRound(id)], ['close', (id: string) => deps.service.close(id)]] as const) {
    app.post<{ Params: { id: string } }>(`/api/canary-sessions/:id/${path}`, { schema: { params: idParams, response: { 200: sessionSchema, 404: errorSchema } } }, async (req, reply) => {
      try {
        return view(act(req.params.id));
      } catch (error) {
        return failed(reply, error);
      }
    });
  }

  app.get<{ Params: { id: string; format: string } }>('/api/canary-sessions/:id/report.:format', {
    schema: { params: { type: 'object', required: ['id', 'format'], properties: { id: { type: 'string', maxLength: 40 }, format: { type: 'string', enum: ['md', 'json', 'zip'] } } }, response: { 404: errorSchema } },
  }, async (req, reply) => {
    let session: CanarySession;
    try {
      session = deps.service.get(req.params.id);
    } catch (error) {
      return failed(reply, error);
    }
    const { verdict, alerts } = deps.service.verdict(session.id);
    const createdAt = Date.now();
    const name = `leakwatch-canary-${fileSafe(session.id)}`;
    const deviceName = session.device ? deps.deviceName(session.device) : undefined;
    const markdown = reportMarkdown(verdict, { applianceId: deps.appliance.id, leakwatchVersion: deps.appliance.version, createdAt, alerts: new Map(alerts.map((a) => [a.id, a])), ...(deviceName ? { deviceName } : {}) });
    const attach = (ext: string) => reply.header('content-disposition', `attachment; filename="${name}.${ext}"`);
    if (req.params.format === 'md') return attach('md').type('text/markdown; charset=utf-8').send(markdown);
    if (req.params.format === 'json') return attach('json').type('application/json; charset=utf-8').send(`${JSON.stringify(verdict, null, 2)}\n`);
    const times = [session.created, ...session.rounds.map((r) => r.closed ?? createdAt)];
    const zip = await buildSessionBundle({
      verdict, markdown, alerts, flows: deps.flows, createdAt,
      appliance: deps.appliance,
      ...(deps.packets && session.device ? { packets: deps.packets(session.device, Math.min(...times), Math.max(...times) + session.watchMs) } : {}),
    });
    return attach('zip').type('application/zip').send(Buffer.from(zip));
  });
}

/**
 * Canary pages (public: their unguessable host is the secret): `http://<token>.canary.leakwatch.internal/<path>`,
 * which the hotspot's DNS points at the appliance. Serves a page that explains the test, and
 * records the visit as the phone's browsing.
 */
export async function canarySessionPages(app: FastifyInstance, deps: Pick<CanarySessionDeps, 'service' | 'visited' | 'deviceOf'>): Promise<void> {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const host = req.headers.host ?? '';
    if (hostTokenOf(host) === undefined) return;
    const client = req.ip.replace(/^::ffff:/, '');
    const found = deps.service.roundOf(host);
    const path = req.url.split('?')[0]!.slice(1);
    if (!found || path !== found.round.pathToken) return reply.code(404).type('text/plain; charset=utf-8').send('no such canary page\n');
    deps.service.visit(found.session.id, found.round.n, deps.deviceOf(client));
    const headers: Header[] = [];
    for (let i = 0; i < req.raw.rawHeaders.length; i += 2) headers.push({ name: req.raw.rawHeaders[i]!, value: req.raw.rawHeaders[i + 1]! });
    const dest = headers.find((h) => h.name.toLowerCase() === 'sec-fetch-dest')?.value;
    const now = Date.now();
    deps.visited({
      id: `appliance:canary:${found.session.id}:${found.round.n}:${now}`, device: client, time: now, method: req.method, url: canaryPage(found.round), headers,
      body: new Uint8Array(), destination: { host: canaryHost(found.round), port: 80, ...(req.socket.localAddress ? { ip: req.socket.localAddress.replace(/^::ffff:/, '') } : {}) },
      source: 'appliance', initiator: initiatorFromHeaders(headers, dest === undefined || dest === 'document' ? 'document' : dest),
      response: { status: 200, mimeType: 'text/html' },
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>leakwatch canary</title></head><body><h1>leakwatch canary page</h1><p>This page exists only for a leak test run on this Wi-Fi's appliance. Its address was made for this test alone: if it shows up in anything this phone sends to another company, leakwatch has proof that the browser reports the pages you open.</p><p>Now search for the test's phrase in the same browser, then go back to leakwatch.</p></body></html>\n`);
  });
}
