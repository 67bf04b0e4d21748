import type { FastifyInstance } from 'fastify';
import { bodyForJson } from '../../export/body-text.js';
import type { FlowCursor, FlowSearch, FlowStore } from '../../store/flows.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

const flowSummarySchema = {
  type: 'object',
  required: ['id', 'device', 'time', 'method', 'url', 'host', 'port', 'bodyBytes', 'alertCount'],
  properties: {
    id: { type: 'string' }, device: { type: 'string' }, time: { type: 'string' }, method: { type: 'string' }, url: { type: 'string' }, host: { type: 'string' },
    ip: { type: ['string', 'null'] }, port: { type: 'integer' }, status: { type: ['integer', 'null'] }, bodyBytes: { type: 'integer' }, alertCount: { type: 'integer' },
  },
} as const;

const headerListSchema = { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } } as const;

const flowDetailSchema = {
  type: 'object',
  required: ['id', 'device', 'time', 'method', 'url', 'host', 'port', 'source', 'httpVersion', 'headers', 'response', 'body', 'alertIds'],
  properties: {
    id: { type: 'string' }, device: { type: 'string' }, time: { type: 'string' }, method: { type: 'string' }, url: { type: 'string' }, host: { type: 'string' },
    ip: { type: ['string', 'null'] }, port: { type: 'integer' }, source: { type: 'string' },
    httpVersion: { type: ['string', 'null'], description: 'null: recorded before leakwatch kept it' },
    headers: { anyOf: [headerListSchema, { type: 'null' }], description: 'request headers in the order sent; null: recorded before leakwatch kept them' },
    response: {
      anyOf: [{ type: 'object', required: ['status'], properties: { status: { type: 'integer' }, mimeType: { type: 'string' }, location: { type: 'string' } } }, { type: 'null' }],
      description: 'null: no response was seen',
    },
    body: {
      type: 'object',
      required: ['bytes', 'excerptBytes', 'cut', 'encoding', 'text'],
      properties: {
        bytes: { type: 'integer', description: 'body bytes the source handed on' },
        excerptBytes: { type: 'integer', description: 'bytes stored (at most 64 KiB)' },
        cut: { type: ['boolean', 'null'], description: 'true when the stored excerpt is not the whole body; null: not known (stored before leakwatch noted it)' },
        encoding: { type: 'string', enum: ['utf8', 'base64'], description: 'utf8 when the excerpt is text, base64 otherwise' },
        text: { type: 'string' },
      },
    },
    tls: {
      anyOf: [{ type: 'object', required: ['decryption'], properties: { decryption: { type: 'string', enum: ['intercepted', 'passthrough'] }, ja4: { type: 'string' } } }, { type: 'null' }],
      description: "the connection's TLS: decrypted by the proxy (with the client's JA4 fingerprint) or passed through; null: plain HTTP, or not recorded",
    },
    alertIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

interface FlowsQuery {
  device?: string;
  host?: string;
  hostContains?: string;
  since?: string;
  until?: string;
  method?: string;
  q?: string;
  hasAlert?: boolean;
  limit: number;
  cursor?: string;
}

/** The cursor is opaque to clients: the last row's time and id, base64url JSON. */
const encodeCursor = (c: FlowCursor): string => Buffer.from(JSON.stringify([c.time, c.id])).toString('base64url');

function decodeCursor(text: string): FlowCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && typeof value[1] === 'string') return { time: value[0] as number, id: value[1] };
  } catch {
    // not a cursor this API made
  }
  return undefined;
}

/** Flow search and detail (admin). */
export async function flowRoutes(app: FastifyInstance, deps: { flows: FlowStore }): Promise<void> {
  app.get<{ Querystring: FlowsQuery }>('/api/flows', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          device: { type: 'string', maxLength: 200 },
          host: { type: 'string', maxLength: 300, description: 'exact host' },
          hostContains: { type: 'string', minLength: 1, maxLength: 300, description: 'part of the host, case-insensitive' },
          since: { type: 'string', format: 'date-time' },
          until: { type: 'string', format: 'date-time' },
          method: { type: 'string', pattern: '^[A-Za-z]{1,20}$' },
          q: { type: 'string', minLength: 1, maxLength: 500, description: 'part of the URL, case-insensitive' },
          hasAlert: { type: 'boolean' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          cursor: { type: 'string', maxLength: 1000, description: 'nextCursor of the previous page' },
        },
      },
      response: {
        200: { type: 'object', required: ['flows', 'nextCursor'], properties: { flows: { type: 'array', items: flowSummarySchema }, nextCursor: { type: ['string', 'null'] } } },
        400: errorSchema,
      },
    },
  }, async (req, reply) => {
    const { device, host, hostContains, since, until, method, q, hasAlert, limit, cursor } = req.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) return sendError(reply, 'LW_ERR_BAD_CURSOR', 'cursor is not one this API gave out; start again without it and follow nextCursor');
    const search: FlowSearch = {
      limit,
      ...(device !== undefined ? { device } : {}), ...(host !== undefined ? { host } : {}), ...(hostContains !== undefined ? { hostContains } : {}),
      ...(since !== undefined ? { since: Date.parse(since) } : {}), ...(until !== undefined ? { until: Date.parse(until) } : {}),
      ...(method !== undefined ? { method } : {}), ...(q !== undefined ? { urlContains: q } : {}), ...(hasAlert !== undefined ? { hasAlert } : {}),
      ...(after ? { after } : {}),
    };
    const page = deps.flows.search(search);
    return { flows: page.flows.map((f) => ({ ...f, time: new Date(f.time).toISOString() })), nextCursor: page.next ? encodeCursor(page.next) : null };
  });

  app.get<{ Params: { id: string } }>('/api/flows/:id', {
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, response: { 200: flowDetailSchema, 404: errorSchema } },
  }, async (req, reply) => {
    const flow = deps.flows.get(req.params.id);
    if (!flow) return sendError(reply, 'LW_ERR_FLOW_NOT_FOUND', `no flow ${req.params.id} (retention may have deleted it; search with GET /api/flows)`);
    // Unknown (null) for rows stored before leakwatch noted whether the source cut a body.
    const cut = flow.excerpt.length < flow.bodyBytes || flow.sourceCut === true ? true : flow.sourceCut === false ? false : null;
    return {
      id: flow.id, device: flow.device, time: new Date(flow.time).toISOString(), method: flow.method, url: flow.url, host: flow.host, ip: flow.ip ?? null, port: flow.port,
      source: flow.source, httpVersion: flow.httpVersion ?? null, headers: flow.headers ?? null, response: flow.response ?? null,
      body: { bytes: flow.bodyBytes, excerptBytes: flow.excerpt.length, cut, ...bodyForJson(flow.excerpt, cut !== false) },
      tls: flow.tls ?? null,
      alertIds: deps.flows.alertIds(flow.id),
    };
  });
}
