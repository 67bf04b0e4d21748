/** Renders provisioning templates through provisioning/lib/render.sh: the Pi installer's own path. */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TEMPLATES = {
  nftables: join(ROOT, 'provisioning/nftables/leakwatch.nft'),
  redirect: join(ROOT, 'provisioning/nftables/leakwatch-redirect.nft'),
  dnsmasq: join(ROOT, 'provisioning/dnsmasq/leakwatch.conf'),
} as const;

/** The template with every @TOKEN@ replaced; throws render.sh's message when a value is missing. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  try {
    return execFileSync('bash', [join(ROOT, 'provisioning/lib/render.sh'), template], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...values },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch (error) {
    throw new Error((error as { stderr?: Buffer }).stderr?.toString().trim() || String(error), { cause: error });
  }
}
