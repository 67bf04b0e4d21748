import type { FastifyInstance } from 'fastify';
import { isDohServer } from '../../intel/doh-servers.js';
import { SELF_TEST_ADDRESS, SELF_TEST_DOMAIN } from '../../model/index.js';
import type { DeviceIdentity } from '../../model/index.js';
import type { FlowStore } from '../../store/index.js';
import type { FirewallStatus } from '../../system/firewall.js';
import type { SelfTestLog } from '../../system/self-test-log.js';
import type { DeviceActivity } from './devices.js';

export interface SelfTestDeps {
  flows: FlowStore;
  selfTests: SelfTestLog;
  /** Who a client address is on the hotspot (MAC from the DHCP leases and neighbour table). */
  identify: (ip: string) => DeviceIdentity;
  /** Transparent mode: the hotspot's traffic is redirected to the proxy (the Pi); else the explicit proxy (a laptop). */
  transparent: boolean;
  /** The hotspot's own addresses: DNS sent elsewhere is DNS the appliance does not answer. */
  applianceAddresses: () => string[];
  firewall: () => Promise<FirewallStatus>;
  activity?: DeviceActivity;
}

/** What the self-test looks at: the last few minutes of self-test requests, a day of flows. */
const RECENT_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The appliance's side of "is this phone really going through the appliance?" (admin). The page
 * itself fetches the self-test names (over HTTP and HTTPS) and then asks here what the appliance
 * saw of the same phone: who it is, which of those requests reached the proxy, whether its
 * browser refused our certificate, whether the firewall rules are loaded, and what it saw of
 * QUIC, DNS-over-TLS, DNS-over-HTTPS and DNS to other servers.
 */
export async function selfTestRoutes(app: FastifyInstance, deps: SelfTestDeps): Promise<void> {
  app.get('/api/selftest', { schema: { description: 'what the appliance saw of the calling device; the page combines it with its own test requests', response: { 200: { type: 'object', additionalProperties: true } } } }, async (req) => {
    const now = Date.now();
    const ip = req.ip.replace(/^::ffff:/, '');
    const identity = deps.identify(ip);
    const device = identity.id;
    const traffic = deps.activity?.traffic(device);
    const own = new Set(deps.applianceAddresses());
    const dnsElsewhere = traffic?.filter((t) => t.dnsPackets > 0 && !own.has(t.peer)).map((t) => ({ server: t.peer, packets: t.dnsPackets })) ?? null;
    const lookups = deps.activity?.dnsLookups(device);
    return {
      client: {
        ip, device, mac: identity.mac ?? null, hostname: identity.hostname ?? null, vendor: identity.vendor ?? null, randomisedMac: identity.randomisedMac ?? null,
        loopback: ip === '127.0.0.1' || ip === '::1',
      },
      mode: deps.transparent ? 'transparent' : 'explicit',
      capture: deps.activity !== undefined,
      names: { domain: SELF_TEST_DOMAIN, address: SELF_TEST_ADDRESS },
      proxy: deps.selfTests.of(ip, now - RECENT_MS),
      firewall: deps.transparent ? await deps.firewall() : null,
      dns: lookups ? { names: lookups.length, selfTest: lookups.filter((l) => l.name.endsWith(SELF_TEST_DOMAIN) && now - l.lastSeen < RECENT_MS).map((l) => l.name), elsewhere: dnsElsewhere } : null,
      dnsOverTls: traffic ? { attempts: traffic.reduce((n, t) => n + t.dnsOverTlsAttempts, 0), servers: traffic.filter((t) => t.dnsOverTlsAttempts > 0).map((t) => t.peer) } : null,
      quic: traffic ? { packets: traffic.reduce((n, t) => n + t.quicPackets, 0) } : null,
      doh: deps.flows.hostsOf(device, now - DAY_MS).filter((h) => isDohServer(h.host)),
    };
  });
}
