import { readFileSync } from 'node:fs';

/**
 * leakwatch's version, from the nearest package.json above this module named `leakwatch` (src/
 * under vitest, dist/ when built); `unknown` when none is found. `--version`, exports and the
 * evidence bundle's manifest all say the same.
 */
export function leakwatchVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'leakwatch') return pkg.version ?? 'unknown';
    } catch {
      // not here; look one folder up
    }
  }
  return 'unknown';
}
