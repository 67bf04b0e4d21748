import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the nearest package.json above this module named `leakwatch` (the checkout, or
 * /opt/leakwatch), whether running from the sources (tsx, vitest) or from dist/.
 */
function findPackage(): { root: string; version: string } | undefined {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'leakwatch') return { root: fileURLToPath(dir), version: pkg.version ?? 'unknown' };
    } catch {
      // not here; look one folder up
    }
  }
  return undefined;
}

const found = findPackage();

/** leakwatch's version (`unknown` when no package.json is found): `--version`, exports and the evidence bundle's manifest say the same. */
export function leakwatchVersion(): string {
  return found?.version ?? 'unknown';
}

/** Where leakwatch is installed: its package.json's folder (ui/dist is under it). */
export function packageRoot(): string | undefined {
  return found?.root;
}
