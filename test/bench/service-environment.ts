import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The environment `systemd/leakwatch.service` gives the appliance (its `Environment=` lines, among
 * them NODE_OPTIONS with V8's heap flags), so the benches measure leakwatch as the Pi runs it.
 */
export function serviceEnvironment(): Record<string, string> {
  const unit = readFileSync(resolve(import.meta.dirname, '../../systemd/leakwatch.service'), 'utf8');
  const env: Record<string, string> = {};
  for (const [, name, value] of unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)) env[name!] = value!;
  if (!env.NODE_OPTIONS) throw new Error('systemd/leakwatch.service sets no NODE_OPTIONS: the benches would not run leakwatch as the Pi does');
  return env;
}
