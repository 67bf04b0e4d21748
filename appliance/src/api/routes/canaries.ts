import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CanaryStore } from '../../store/index.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

export interface CanaryHooks {
  /** A test started or ended: the running detector plants or drops its token. */
  changed(action: 'add' | 'remove', token: string): void;
}

const canarySchema = {
  type: 'object',
  required: ['token', 'created', 'note', 'alerts', 'lastSeen', 'searchTerm', 'pageUrl'],
  properties: {
    token: { type: 'string' },
    created: { type: 'integer' },
    note: { type: ['string', 'null'] },
    alerts: { type: 'integer', description: 'proven alerts raised on this token' },
    lastSeen: { type: ['integer', 'null'], description: 'when the token was last seen leaving the phone' },
    searchTerm: { type: 'string', description: "type this into the phone browser's search box" },
    pageUrl: { type: 'string', description: "or open this page in the phone's browser" },
  },
} as const;

const pageOf = (req: FastifyRequest, token: string) => `${req.protocol}://${req.headers.host ?? req.hostname}/canary/${token}`;
const searchTermOf = (token: string) => `leakwatch ${token}`;

/**
 * Canary tests (admin): leakwatch makes a token, the user searches for it or opens its page in the
 * phone's browser, and any request carrying it to another party is a *proven* leak.
 */
export async function canaryRoutes(app: FastifyInstance, deps: { canaries: CanaryStore; hooks: CanaryHooks }): Promise<void> {
  app.post<{ Body: { note?: string } }>('/api/canaries', {
    schema: { body: { type: ['object', 'null'], properties: { note: { type: 'string', maxLength: 200 } } }, response: { 201: canarySchema } },
  }, async (req, reply) => {
    const test = deps.canaries.create(req.body?.note?.trim() || null, Date.now());
    deps.hooks.changed('add', test.token);
    return reply.code(201).send({ ...test, searchTerm: searchTermOf(test.token), pageUrl: pageOf(req, test.token) });
  });

  app.get('/api/canaries', { schema: { response: { 200: { type: 'array', items: canarySchema } } } }, async (req) =>
    deps.canaries.list().map((t) => ({ ...t, searchTerm: searchTermOf(t.token), pageUrl: pageOf(req, t.token) })),
  );

  app.delete<{ Params: { token: string } }>('/api/canaries/:token', {
    schema: { params: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } }, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 404: errorSchema } },
  }, async (req, reply) => {
    if (!deps.canaries.remove(req.params.token)) return sendError(reply, 'LW_ERR_CANARY_NOT_FOUND', `no canary test ${req.params.token}; GET /api/canaries lists them`);
    deps.hooks.changed('remove', req.params.token);
    return { ok: true };
  });
}

/** The page a canary test asks the phone to open (public: its URL is the secret, and it says nothing else). */
export async function canaryPage(app: FastifyInstance, deps: { canaries: CanaryStore }): Promise<void> {
  app.get<{ Params: { token: string } }>('/canary/:token', { schema: { params: { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^lwc-[a-z0-9]{8}$' } } } } }, async (req, reply) => {
    if (!deps.canaries.has(req.params.token)) return reply.code(404).type('text/plain; charset=utf-8').send('no such canary test\n');
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>leakwatch canary ${req.params.token}</title></head><body><h1>leakwatch canary</h1><p>This page exists only for a leak test. If this address shows up in what your phone sends to anyone else, leakwatch raises a proven alert.</p><p><code>${req.params.token}</code></p></body></html>\n`);
  });
}
