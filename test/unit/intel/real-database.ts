import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIntel } from '../../../appliance/scripts/build-intel.js';

const builtDir = fileURLToPath(new URL('../../../dist/intel', import.meta.url));

/**
 * The compiled IP tables for tests against the real data: dist/intel when `npm run build` has run,
 * else built on demand from the npm CSVs into a temporary directory (about 4 s).
 */
export async function realDatabaseDir(): Promise<string> {
  if (existsSync(join(builtDir, 'ipv4-asn.bin'))) return builtDir;
  const dir = mkdtempSync(join(tmpdir(), 'lw-intel-db-'));
  await buildIntel(dir);
  return dir;
}
