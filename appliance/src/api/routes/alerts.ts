import type { Database as Db } from 'better-sqlite3';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SEVERITIES } from '../../model/index.js';
import type { Severity } from '../../model/index.js';
import type { AlertQuery, AlertStore } from '../../store/index.js';
import { deviceVerdicts } from '../../store/index.js';
import { sendError } from '../errors.js';
import { errorSchema, listedAlertSchema } from '../schemas.js';

interface ListQuery {
  since?: string;
  device?: string;
  chinaLinked?: boolean;
  severity?: string;
  unread?: boolean;
  before?: number;
  limit?: number;
}

const okSchema = { type: 'object', properties: { ok: { type: 'boolean' } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const severityList = { type: 'string', pattern: `^(${SEVERITIES.join('|')})(,(${SEVERITIES.join('|')}))*$`, description: 'comma-separated severities, e.g. high,critical' } as const;

const receiverSchema = {
  type: 'object',
  required: ['company', 'country', 'chinaLinked', 'alerts', 'last'],
  properties: { company: { type: 'string' }, country: { type: ['string', 'null'] }, chinaLinked: { type: 'boolean' }, alerts: { type: 'integer' }, last: { type: 'integer' } },
} as const;

const summarySchema = {
  type: 'object',
  required: ['unread', 'latestSeq', 'devices'],
  properties: {
    unread: { type: 'integer', description: 'alerts not yet acknowledged, all devices' },
    latestSeq: { type: 'integer', description: 'the seq of the newest alert these figures count (0: none); /api/events?since=latestSeq then carries every later one' },
    devices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['device', 'name', 'alerts', 'unread', 'last', 'receivers'],
        properties: {
          device: { type: 'string' }, name: { type: ['string', 'null'] }, alerts: { type: 'integer' }, unread: { type: 'integer' }, last: { type: 'integer' },
          receivers: { type: 'array', items: receiverSchema, description: 'who received the browsing, by company and country, most alerts first' },
        },
      },
    },
  },
} as const;

/** Alerts for the page (admin): pages newest first, the per-device verdict, acknowledging. */
/**
 * Acknowledging alerts. The inspection thread alone writes the alerts table: these ask it, so they
 * wait for its answer and fail when it does not come.
 */
export interface AlertWrites {
  acknowledge(id: string): Promise<boolean>;
  acknowledgeAll(query: Pick<AlertQuery, 'device' | 'chinaLinked' | 'severities'>): Promise<number>;
}

export async function alertRoutes(app: FastifyInstance, deps: { db: Db; store: AlertStore; writes: AlertWrites }): Promise<void> {
  /** A write the inspection thread did not make: said as such, never as a missing alert. */
  const unavailable = (reply: FastifyReply, error: unknown) =>
    sendError(reply, 'LW_ERR_INSPECTION_UNAVAILABLE', `alerts are written by the inspection thread, which did not do it: ${(error as Error).message}; try again in a moment`);

  app.get<{ Querystring: ListQuery }>('/api/alerts', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since: { type: 'string', format: 'date-time', description: 'alerts on requests made at or after this time' },
          device: { type: 'string', maxLength: 200 },
          chinaLinked: { type: 'boolean' },
          severity: severityList,
          unread: { type: 'boolean', description: 'true: only alerts not yet acknowledged' },
          before: { type: 'integer', minimum: 1, description: 'the seq of the last alert of the previous page' },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      },
      response: { 200: { type: 'array', items: listedAlertSchema }, 400: errorSchema },
    },
  }, async (req) => deps.store.list({ ...queryOf(req.query), ...(req.query.before !== undefined ? { before: req.query.before } : {}), limit: req.query.limit ?? 100 }));

  // One read transaction: the counts and latestSeq describe the same alerts, so a page that starts
  // its live stream from latestSeq neither misses an alert stored meanwhile nor counts one twice.
  const summary = deps.db.transaction(() => ({ unread: deps.store.unread().total, latestSeq: deps.store.latestSeq(), devices: deviceVerdicts(deps.db) }));
  app.get('/api/alerts/summary', { schema: { response: { 200: summarySchema } } }, async () => summary());

  app.get<{ Params: { id: string } }>('/api/alerts/:id', { schema: { params: idParams, response: { 200: listedAlertSchema, 404: errorSchema } } }, async (req, reply) => {
    return deps.store.get(req.params.id) ?? sendError(reply, 'LW_ERR_ALERT_NOT_FOUND', `no alert ${req.params.id} (retention may have deleted it)`);
  });

  app.post<{ Params: { id: string } }>('/api/alerts/:id/ack', { schema: { params: idParams, response: { 200: okSchema, 404: errorSchema, 503: errorSchema } } }, async (req, reply) => {
    let changed: boolean;
    try {
      changed = await deps.writes.acknowledge(req.params.id);
    } catch (error) {
      return unavailable(reply, error);
    }
    return changed ? { ok: true } : sendError(reply, 'LW_ERR_ALERT_NOT_FOUND', `no alert ${req.params.id}`);
  });

  app.post<{ Body: { device?: string; chinaLinked?: boolean; severity?: string } | null }>('/api/alerts/ack', {
    schema: {
      description: 'acknowledges every unread alert the filters select (all of them without filters)',
      body: { type: ['object', 'null'], additionalProperties: false, properties: { device: { type: 'string', maxLength: 200 }, chinaLinked: { type: 'boolean' }, severity: severityList } },
      response: { 200: { type: 'object', required: ['acknowledged'], properties: { acknowledged: { type: 'integer' } } }, 503: errorSchema },
    },
  }, async (req, reply) => {
    try {
      return { acknowledged: await deps.writes.acknowledgeAll(queryOf(req.body ?? {})) };
    } catch (error) {
      return unavailable(reply, error);
    }
  });
}

function queryOf(q: { since?: string; device?: string; chinaLinked?: boolean; severity?: string; unread?: boolean }): AlertQuery {
  return {
    ...(q.since !== undefined ? { since: Date.parse(q.since) } : {}),
    ...(q.device !== undefined ? { device: q.device } : {}),
    ...(q.chinaLinked !== undefined ? { chinaLinked: q.chinaLinked } : {}),
    ...(q.severity !== undefined ? { severities: q.severity.split(',') as Severity[] } : {}),
    ...(q.unread ? { unread: true } : {}),
  };
}
