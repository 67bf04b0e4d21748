import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Kind } from '../../../appliance/src/config/config.js';
import { SETTINGS, loadConfig } from '../../../appliance/src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-env-'));
const pem = join(dir, 'ca.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
for (const f of [a, b]) writeFileSync(f, '{"ranges": []}');

/** A valid environment value for each kind of setting, and what it becomes. */
const SAMPLES: Record<Kind, readonly [string, unknown]> = {
  path: ['/srv/x', '/srv/x'],
  host: ['10.42.0.1', '10.42.0.1'],
  text: ['some text', 'some text'],
  url: ['mqtts://broker.lan:8883', 'mqtts://broker.lan:8883'],
  topic: ['home/leakwatch', 'home/leakwatch'],
  name: ['pi-livingroom', 'pi-livingroom'],
  caFile: [pem, pem],
  intelFiles: [`${a}, ${b}`, [a, b]],
  port: ['3128', 3128],
  bytes: ['2097152', 2097152],
  count: ['7', 7],
  cidrs: ['10.42.0.0/24,fc00::/7', ['10.42.0.0/24', 'fc00::/7']],
  boolean: ['true', true],
};

function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);
}

describe('environment variables', () => {
  it.each(SETTINGS.map((s) => [s.env, s.path, s.kind] as const))('%s sets %s', async (env, path, kind) => {
    const [raw, expected] = SAMPLES[kind];
    expect(valueAt(await loadConfig(undefined, { [env]: raw }), path)).toEqual(expected);
  });

  it('are all named LEAKWATCH_<SECTION>_<KEY> after their setting', () => {
    const derived = SETTINGS.map((s) => `LEAKWATCH_${s.path.replace(/([a-z])([A-Z])/g, '$1_$2').replaceAll('.', '_').toUpperCase()}`);
    const exceptions = SETTINGS.map((s, i) => (s.env === derived[i] ? undefined : `${s.path} → ${s.env}`)).filter(Boolean);
    expect(exceptions).toEqual(['intel.overlayFiles → LEAKWATCH_INTEL_FILES']);
  });

  it.each([
    ['LEAKWATCH_TRANSPARENT_ENABLED', 'yes', 'environment LEAKWATCH_TRANSPARENT_ENABLED: transparent.enabled "yes" is not true or false'],
    ['LEAKWATCH_API_PORT', '0', 'environment LEAKWATCH_API_PORT: api.port "0" is not a port (1-65535)'],
    ['LEAKWATCH_RETENTION_MAX_AGE_DAYS', '-1', 'environment LEAKWATCH_RETENTION_MAX_AGE_DAYS: retention.maxAgeDays "-1" is not a count (a whole number ≥ 0)'],
    ['LEAKWATCH_PROXY_ALLOWED_CLIENTS', '10.42.0.0/24,everyone', 'environment LEAKWATCH_PROXY_ALLOWED_CLIENTS: proxy.allowedClients entry "everyone" is not a CIDR like 10.42.0.0/24'],
  ])('%s=%s is refused with a message that says what to fix', async (env, raw, message) => {
    await expect(loadConfig(undefined, { [env]: raw })).rejects.toThrow(message);
  });
});
