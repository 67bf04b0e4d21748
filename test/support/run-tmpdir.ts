import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Names the tests and what they start use for their temporary folders (mkdtemp prefixes). */
const OURS = /^(lw-|leakwatch)/;
const RUN_ROOT = /^leakwatch-tests-/;

/**
 * Vitest global setup: every temporary folder of a run — the tests' own, and those of the
 * leakwatch, Mosquitto, dnsmasq and Chromium processes they start, which inherit TMPDIR — lives in
 * one folder that is removed when the run ends, passed or failed. Many of them hold CA private keys,
 * databases and browser profiles. A folder of ours that still appears directly in the real
 * temporary folder (a hard-coded /tmp path) fails the run and is named.
 */
export default function setup(): () => void {
  const real = tmpdir();
  const before = new Set(readdirSync(real));
  const root = mkdtempSync(join(real, 'leakwatch-tests-'));
  process.env.TMPDIR = root;
  return () => {
    rmSync(root, { recursive: true, force: true });
    // Another run's own root (a second vitest at the same time) is that run's business.
    const stray = readdirSync(real).filter((name) => OURS.test(name) && !RUN_ROOT.test(name) && !before.has(name));
    if (stray.length > 0) {
      // Vitest reports an error thrown here but keeps exit code 0: the code is set as well.
      process.exitCode = 1;
      throw new Error(`tests left temporary folders outside ${root}: ${stray.map((n) => join(real, n)).join(', ')}`);
    }
  };
}
