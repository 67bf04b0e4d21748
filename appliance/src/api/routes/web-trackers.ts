import type { FastifyInstance } from 'fastify';
import type { WebTracker } from '../../model/index.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

const trackerSchema = {
  type: 'object',
  required: ['page', 'host', 'chinaLinked', 'kinds', 'count', 'lastSeen'],
  properties: {
    page: { type: 'string', description: 'the site (registrable domain) of the page that reports itself' },
    host: { type: 'string', description: 'the third party it reports to' },
    chinaLinked: { type: 'boolean' },
    chinaLink: { type: 'string', enum: ['owned-by', 'hosted-in'] },
    kinds: { type: 'array', items: { type: 'string', enum: ['url', 'host', 'search'] }, description: 'what the page reported about itself' },
    count: { type: 'integer' },
    lastSeen: { type: 'integer' },
  },
} as const;

/**
 * Web trackers (admin): web pages the phone opened that report themselves (their address, host or
 * the search that led to them) to a third party — Baidu Tongji on a news site. That is the page's
 * doing, not the phone's, so these are listed per page and never raised as alerts. Kept by the
 * running inspection thread since it started.
 */
export async function webTrackerRoutes(app: FastifyInstance, deps: { webTrackers?: () => Promise<WebTracker[]> }): Promise<void> {
  app.get('/api/web-trackers', {
    schema: {
      response: {
        200: { type: 'object', required: ['trackers'], properties: { trackers: { type: 'array', items: trackerSchema } } },
        503: errorSchema,
      },
    },
  }, async (_req, reply) => {
    if (!deps.webTrackers) return { trackers: [] };
    try {
      return { trackers: await deps.webTrackers() };
    } catch (error) {
      return sendError(reply, 'LW_ERR_INSPECTION_UNAVAILABLE', `web trackers are kept by the inspection thread, which did not answer: ${(error as Error).message}; try again in a moment`);
    }
  });
}
