/**
 * The lab's network on its own, with a stand-in listener where the proxy runs: dnsmasq, NAT, the
 * redirect with its original destination, the drops, and the closed proxy ports — all through the
 * project's nftables ruleset, with curl and bash as the clients.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventLog } from '../../lab/event-log.js';
import { ADDR, INTERNET_CONTROL, NAMES, PORTS, createLab, labUnavailable } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { startStandIn } from '../../lab/services.js';
import type { StandInConnection } from '../../lab/stand-in-proxy.js';

const unavailable = labUnavailable();
if (unavailable) process.stderr.write(`network lab tests skipped: ${unavailable}\n`);

let lab: Lab | undefined;
let standIn: EventLog<StandInConnection>;

const curl = (host: 'phone' | 'appliance' | 'internet', ...args: string[]) => lab!.exec(host, 'curl', ['-sS', '--max-time', '5', ...args]);

describe.runIf(!unavailable)('the lab network (dnsmasq and the nftables ruleset in the appliance namespace)', () => {
  beforeAll(async () => {
    lab = await createLab();
    standIn = await startStandIn(lab);
  }, 60_000);

  afterAll(() => lab?.destroy());

  it('leases the phone an address from the appliance\'s dnsmasq, with the appliance as its DNS server', async () => {
    expect(lab!.addressing, 'no DHCP client: install busybox (udhcpc)').toBe('dhcp');
    // The installer's DHCP range for a /24: .100 to .200.
    expect(lab!.addresses.phone).toMatch(/^10\.42\.0\.(1\d\d|200)$/);
    expect(readFileSync(lab!.paths.leases, 'utf8')).toContain(` ${lab!.addresses.phone} `);
    expect((await lab!.exec('phone', 'cat', ['/etc/resolv.conf'])).stdout).toBe(`nameserver ${ADDR.applianceHotspot}\n`);
  });

  it('resolves the lab\'s names for the phone, and nothing else: DNS never leaves the lab', async () => {
    for (const [name, ip] of [[NAMES.news, ADDR.news], [NAMES.telemetry, ADDR.telemetry], [NAMES.untrusted, ADDR.untrusted]] as const) {
      expect((await lab!.exec('phone', 'getent', ['hosts', name])).stdout.split(/\s+/).slice(0, 2)).toEqual([ip, name]);
    }
    expect((await lab!.exec('phone', 'getent', ['hosts', 'example.com'])).code).toBe(2);
  });

  it("answers the appliance's own names itself: leakwatch.internal is the appliance, self-test names point where only the redirect answers", async () => {
    const resolve = async (name: string) => (await lab!.exec('phone', 'getent', ['hosts', name])).stdout.split(/\s+/).slice(0, 2);
    expect(await resolve('leakwatch.internal')).toEqual([ADDR.applianceHotspot, 'leakwatch.internal']);
    expect(await resolve('k2x9.selftest.leakwatch.internal')).toEqual(['192.0.2.1', 'k2x9.selftest.leakwatch.internal']);
    expect(await resolve('k2x9.selftest.leakwatch.internal')).toEqual(['192.0.2.1', 'k2x9.selftest.leakwatch.internal']);
    // The redirect takes the phone's web traffic to 192.0.2.1 to the proxy like any other.
    expect((await curl('phone', 'http://k2x9.selftest.leakwatch.internal/')).stdout).toBe(`stand-in ${PORTS.http}\n`);
    expect(await standIn.waitFor((c) => c.original?.ip === '192.0.2.1')).toEqual({ port: PORTS.http, from: lab!.addresses.phone, original: { ip: '192.0.2.1', port: 80 } });
  });

  it('accepts the rendered dnsmasq file with filter-rr=HTTPS (dnsmasq 2.90 or later)', async () => {
    expect(readFileSync(lab!.paths.dnsmasqConf, 'utf8')).toContain('\nfilter-rr=HTTPS\n');
    const check = await lab!.exec('appliance', 'dnsmasq', ['--test', `--conf-file=${lab!.paths.dnsmasqConf}`]);
    expect(check.stderr.trim()).toBe('dnsmasq: syntax check OK.');
  });

  it('gives the lab no route out: the internet and the appliance know only their own subnets', async () => {
    expect((await lab!.exec('internet', 'ip', ['route', 'show', 'default'])).stdout).toBe('');
    expect((await lab!.exec('appliance', 'ip', ['route', 'show', 'default'])).stdout).toBe('');
    const routes = (await lab!.exec('appliance', 'ip', ['-4', 'route', 'show'])).stdout.split('\n').filter(Boolean).map((r) => r.split(' ')[0]).sort();
    expect(routes).toEqual(['10.42.0.0/24', '10.98.0.0/24', '10.99.0.0/24']);
  });

  it('masquerades the phone behind the appliance on a port that is not redirected', async () => {
    expect((await curl('phone', `http://${ADDR.news}:${INTERNET_CONTROL.tcp}/nat`)).stdout).toBe('{"code":0}');
    const seen = await lab!.internet.waitFor((e) => e.url === '/nat');
    expect(seen).toMatchObject({ site: 'control', port: INTERNET_CONTROL.tcp, from: ADDR.applianceUplinkCdn });
  });

  it.each([
    { port: 80, to: ADDR.news, url: `http://${NAMES.news}/redirected`, proxyPort: PORTS.http },
    { port: 443, to: ADDR.telemetry, url: `http://${NAMES.telemetry}:443/redirected`, proxyPort: PORTS.https },
  ])('redirects the phone\'s TCP $port to the proxy port $proxyPort, which reads the original destination', async ({ port, to, url, proxyPort }) => {
    expect((await curl('phone', url)).stdout).toBe(`stand-in ${proxyPort}\n`);
    const connection = await standIn.waitFor((c) => c.port === proxyPort && c.original?.port === port && c.original.ip === to);
    expect(connection).toEqual({ port: proxyPort, from: lab!.addresses.phone, original: { ip: to, port } });
    expect(lab!.internet.items.filter((e) => e.url === '/redirected')).toEqual([]);
  });

  it('leaves traffic to the appliance\'s own addresses alone, on any of its interfaces', async () => {
    expect((await curl('phone', `http://${ADDR.applianceHotspot}:${PORTS.proxy}/`)).stdout).toBe(`stand-in ${PORTS.proxy}\n`);
    // Not redirected: the kernel's "original" destination is where it really went.
    const direct = await standIn.waitFor((c) => c.port === PORTS.proxy && c.from === lab!.addresses.phone);
    expect(direct).toEqual({ port: PORTS.proxy, from: lab!.addresses.phone, original: { ip: ADDR.applianceHotspot, port: PORTS.proxy } });
    // Nothing listens on the appliance's port 80: refused (7), not redirected to the stand-in.
    expect((await curl('phone', `http://${ADDR.applianceUplink}/`)).code).toBe(7);
  });

  it('drops UDP 443 (QUIC) and TCP 853 (DNS-over-TLS) from the phone, and lets the control ports through', async () => {
    // Dropped datagrams first, the control last: once the control arrives, anything let through would have.
    await lab!.exec('phone', 'bash', ['-c', `for i in 1 2 3; do echo q > /dev/udp/${ADDR.news}/443; done; echo c > /dev/udp/${ADDR.news}/${INTERNET_CONTROL.udp}`]);
    const dot = await curl('phone', '--connect-timeout', '2', `telnet://${ADDR.news}:853`);
    await lab!.internet.waitFor((e) => e.site === 'control-udp', 3_000);
    expect(dot.code).toBe(28);
    expect(lab!.internet.items.filter((e) => e.site === 'quic' || e.site === 'dot')).toEqual([]);
  });

  it('does not answer on the proxy ports from the internet side, while the appliance itself can use them', async () => {
    const fromInternet = await Promise.all([PORTS.http, PORTS.https, PORTS.proxy].map((port) => curl('internet', '--connect-timeout', '2', `http://${ADDR.applianceUplink}:${port}/`)));
    expect(fromInternet.map((r) => r.code)).toEqual([28, 28, 28]);
    expect((await curl('appliance', `http://127.0.0.1:${PORTS.proxy}/`)).stdout).toBe(`stand-in ${PORTS.proxy}\n`);
  });
});
