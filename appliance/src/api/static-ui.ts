import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../version.js';
import { sendError } from './errors.js';

/** Where `npm run build` puts the web page (Vite's output of ui/). */
export function defaultUiRoot(): string | undefined {
  const root = packageRoot();
  return root ? join(root, 'ui', 'dist') : undefined;
}

/**
 * The web page (public: the shell holds no data, the API behind it needs the admin session). Files
 * with a content hash in their name are cached for good; the shell, the service worker and the
 * manifest are revalidated, so an update reaches the phone on its next load.
 */
export async function staticUi(app: FastifyInstance, root: string | undefined): Promise<void> {
  if (!root || !existsSync(join(root, 'index.html'))) {
    app.get('/', async (_req, reply) => sendError(reply, 'LW_ERR_UI_NOT_BUILT', `the web page is not built (no ${root ?? 'ui/dist'}/index.html): run npm run build in leakwatch's folder, then restart; the API under /api/ works meanwhile`));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file, so any other path reaches the API's typed 404.
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', /[.-][A-Za-z0-9_-]{8}\.(js|css|svg|png|woff2)$/.test(path) && path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
