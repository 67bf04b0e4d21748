import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Starts `worker-main` in a thread. Compiled (dist/, the appliance) it is a plain `.js` file. Run
 * from the TypeScript sources (vitest, tsx, `npm run lab`) the thread has no TypeScript loader of
 * its own, and Node 20 ignores `--import tsx` in a worker's execArgv, so a two-line bootstrap
 * registers tsx's ESM hooks in the thread before importing the `.ts` entry.
 */
export function startWorkerMain(options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker-main.js', here), options);
  const entry = new URL('./worker-main.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** File URL of tsx's ESM register API, read from its package exports (a dev dependency). */
function tsxEsmApi(): string {
  const manifestPath = createRequire(fileURLToPath(import.meta.url)).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = manifest.exports['./esm/api']?.import.default;
  if (!api) throw new Error(`tsx ${manifestPath} has no ./esm/api export; run leakwatch from dist/ (npm run build)`);
  return pathToFileURL(join(dirname(manifestPath), api)).href;
}
