/**
 * The Pi installer's dry run, for the lab: provisioning/install.sh renders every file the Pi gets
 * (firewall tables, dnsmasq, leakwatch's config, the hotspot connection, the units) with the lab's
 * interfaces and addresses, and the lab loads exactly those files.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './render.js';
import { ADDR, IFACES } from './topology.js';

export interface RenderedInstall {
  /** The folder the installer rendered into, standing for the Pi's `/`. */
  root: string;
  /** The base table (NAT, drops, the proxy ports closed to the uplink) and the redirect table. */
  nftables: string;
  redirect: string;
  dnsmasq: string;
  /** leakwatch's config as the Pi gets it. */
  config: string;
  hotspotConnection: string;
  units: { leakwatch: string; network: string; dnsmasq: string };
}

/** The lab's answers to the installer; `overrides` changes some (tests of bad values). */
export function labInstallSettings(dir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SSID: 'leakwatch-lab', PASSPHRASE: 'lab-passphrase', COUNTRY: 'DE', CHANNEL: '6', SECURITY: 'wpa2',
    HOTSPOT_IF: IFACES.applianceHotspot, UPLINK_IF: IFACES.applianceUplink, SUBNET: ADDR.hotspotNet,
    LEASE_FILE: join(dir, 'dnsmasq.leases'),
    ...overrides,
  };
}

/** Runs `install.sh --dry-run --root DIR/rendered --unattended DIR/install.conf`; throws with its output when it fails. */
export function renderInstall(dir: string, overrides: Record<string, string> = {}): RenderedInstall {
  const config = join(dir, 'install.conf');
  writeFileSync(config, Object.entries(labInstallSettings(dir, overrides)).map(([k, v]) => `${k}="${v}"`).join('\n') + '\n');
  const root = join(dir, 'rendered');
  try {
    execFileSync('bash', [join(ROOT, 'provisioning/install.sh'), '--dry-run', '--root', root, '--unattended', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the installer's dry run failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`, { cause: error });
  }
  const at = (path: string) => join(root, path);
  return {
    root,
    nftables: at('etc/leakwatch/nftables/leakwatch.nft'),
    redirect: at('etc/leakwatch/nftables/leakwatch-redirect.nft'),
    dnsmasq: at('etc/leakwatch/dnsmasq.conf'),
    config: at('etc/leakwatch/leakwatch.json'),
    hotspotConnection: at('etc/NetworkManager/system-connections/leakwatch-hotspot.nmconnection'),
    units: { leakwatch: at('etc/systemd/system/leakwatch.service'), network: at('etc/systemd/system/leakwatch-network.service'), dnsmasq: at('etc/systemd/system/leakwatch-dnsmasq.service') },
  };
}
