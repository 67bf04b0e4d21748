import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../model/index.js';
import type { AlertStore, ListedAlert } from '../../store/index.js';

/** Alerts sent per catch-up; a client that missed more gets a `reset` and reloads its list. */
const CATCH_UP_LIMIT = 500;
/** A phone that slept, or a proxy that dropped the stream, notices a dead one within about two of these. */
export const HEARTBEAT_MS = 15_000;

export interface EventDeps {
  store: AlertStore;
  /** Alerts as they are committed: the signal to send what is new. */
  live: EventEmitter<{ alert: [Alert] }>;
  heartbeatMs?: number;
}

/**
 * New alerts as Server-Sent Events (admin). Each event's id is the alert's `seq`, so a client that
 * reconnects (EventSource sends `Last-Event-ID`; or `?since=SEQ`) first gets every alert it missed
 * while it slept, oldest first, then the new ones. A stream never ends by itself: closing the API
 * ends the open ones (the page reconnects) instead of waiting for them.
 */
export async function eventRoutes(app: FastifyInstance, deps: EventDeps): Promise<void> {
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get<{ Querystring: { since?: number } }>('/api/events', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { since: { type: 'integer', minimum: 0, description: 'the seq of the last alert the client has; Last-Event-ID wins' } } } },
  }, async (req, reply) => {
    const header = req.headers['last-event-id'];
    const fromHeader = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    const latest = deps.store.latestSeq();
    let cursor = fromHeader ?? req.query.since ?? latest;
    reply.hijack();
    const out = reply.raw;
    streams.add(out);
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    out.write('retry: 2000\n: connected\n\n');
    const reset = () => {
      cursor = deps.store.latestSeq();
      out.write(`id: ${cursor}\nevent: reset\ndata: {"seq":${cursor}}\n\n`);
    };
    const send = (alert: ListedAlert) => {
      out.write(`id: ${alert.seq}\nevent: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      cursor = alert.seq;
    };
    const sendNew = () => {
      const missed = deps.store.after(cursor, CATCH_UP_LIMIT);
      if (missed.length === CATCH_UP_LIMIT) return reset();
      missed.forEach(send);
    };
    // An id beyond the newest alert: the store was emptied since (retention), so what the client holds is stale.
    if (cursor > latest) reset();
    else sendNew();
    deps.live.on('alert', sendNew);
    const heartbeat = setInterval(() => out.write(`event: heartbeat\ndata: {"time":${Date.now()}}\n\n`), deps.heartbeatMs ?? HEARTBEAT_MS);
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      deps.live.off('alert', sendNew);
      streams.delete(out);
    });
  });
}
