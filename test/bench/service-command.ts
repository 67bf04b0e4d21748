import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** How `systemd/leakwatch.service` runs leakwatch: Node's flags on its ExecStart line and its Environment= lines. */
export interface ServiceCommand {
  nodeFlags: string[];
  env: Record<string, string>;
}

/**
 * Read from the unit itself, so the benches measure leakwatch as the Pi runs it (V8's heap flags
 * change its memory and CPU figures).
 */
export function serviceCommand(): ServiceCommand {
  const unit = readFileSync(resolve(import.meta.dirname, '../../systemd/leakwatch.service'), 'utf8');
  const words = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.split(/\s+/) ?? [];
  const script = words.findIndex((w) => w.endsWith('/appliance/bin/leakwatch.js'));
  if (script < 1) throw new Error('systemd/leakwatch.service: no ExecStart running appliance/bin/leakwatch.js with node');
  const env: Record<string, string> = {};
  for (const [, name, value] of unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)) env[name!] = value!;
  // The compile cache as the Pi keeps one, in a folder of this machine's instead of the Pi's /var/cache.
  if (env.NODE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = join(tmpdir(), 'leakwatch-bench-compile-cache');
  return { nodeFlags: words.slice(1, script), env };
}

/** For a bench's heading. */
export function describeServiceCommand({ nodeFlags, env }: ServiceCommand): string {
  return `as leakwatch.service runs it: node ${nodeFlags.join(' ') || '(no flags)'}${Object.entries(env).map(([k, v]) => `, ${k}=${v}`).join('')}`;
}
