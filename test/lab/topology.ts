/**
 * The lab's fixed shape: which namespaces, subnets, addresses, names and ports. Private ranges only,
 * all on veth pairs inside the lab's own namespaces; nothing routes to the host's network.
 */
export type Host = 'phone' | 'appliance' | 'internet';

export const ADDR = {
  /** The hotspot, as NetworkManager's shared mode numbers it. */
  hotspotNet: '10.42.0.0/24',
  applianceHotspot: '10.42.0.1',
  /** The phone's address when no DHCP client is installed. */
  phoneStatic: '10.42.0.50',
  /** The appliance's uplink has one address in each "internet" subnet. */
  applianceUplink: '10.99.0.1',
  applianceUplinkCdn: '10.98.0.1',
  /** 10.98.0.0/24 stands for a US CDN, 10.99.0.0/24 for Alibaba Cloud (see intelOverlay). */
  news: '10.98.0.10',
  telemetry: '10.99.0.20',
  untrusted: '10.99.0.21',
} as const;

/**
 * Lab sites under different registrable domains: under one `lab.test` the telemetry host would be
 * first-party to the pages it reports, and the detector would rightly stay quiet.
 */
export const NAMES = { news: 'news.lab-news.test', telemetry: 'sa.lab-sensors.test', untrusted: 'bad.lab-untrusted.test' } as const;

/** The appliance's listening ports, as the installer renders them (provisioning/config/leakwatch.json, lib/files.sh). */
export const PORTS = { http: 8081, https: 8443, proxy: 8888, api: 80, apiHttps: 443 } as const;

/** Internet-side ports that the firewall lets through untouched (the control for "dropped"). */
export const INTERNET_CONTROL = { tcp: 8080, udp: 4443 } as const;

/** The `--intel` overlay (ARCHITECTURE.md) that makes the lab's subnets stand for real networks. */
export const intelOverlay = {
  ranges: [
    { cidr: '10.99.0.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' },
    { cidr: '10.98.0.0/24', asn: 13335, org: 'Cloudflare, Inc.', country: 'US' },
  ],
};

/** Interface names inside the namespaces (each namespace has its own, so they never collide). */
export const IFACES = { applianceHotspot: 'hot0', applianceUplink: 'up0', phone: 'eth0', internet: 'eth0' } as const;

const SUFFIX: Record<Host, string> = { phone: 'phone', appliance: 'appl', internet: 'net' };

/** `lw-<pid>-<random>-<host>`: unique per run, and the owner's pid tells a crashed run from a live one. */
export function namespaceNames(runId: string): Record<Host, string> {
  return { phone: `lw-${runId}-${SUFFIX.phone}`, appliance: `lw-${runId}-${SUFFIX.appliance}`, internet: `lw-${runId}-${SUFFIX.internet}` };
}

/** Matches a lab namespace name or temp dir name; group 1 is the pid of the run that made it. */
export const LAB_NAME = /^lw-(\d+)-[0-9a-f]{4}-(?:phone|appl|net|tmp-.+)$/;
