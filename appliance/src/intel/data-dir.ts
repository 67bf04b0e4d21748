import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built tables live, apart from the modules that load them: the proxy's thread reads the
 * MAC vendor table with these, and must not load the attribution stack (tldts, the IP tables'
 * readers) that only the inspection thread runs.
 */

/** The compiled IP tables are missing: `npm run build` makes them. */
export class IntelNotBuiltError extends Error {}

/** dist/intel/, found from this module both in src/ (tests) and in dist/ (the built CLI). */
export function intelDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const marker = `${join('dist', 'appliance')}`;
  const root = here.includes(marker) ? here.slice(0, here.indexOf(marker)) : resolve(here, '../../..');
  return join(root, 'dist', 'intel');
}
