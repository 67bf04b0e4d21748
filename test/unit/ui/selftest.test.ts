import { describe, expect, it } from 'vitest';
import type { SelfTestReport } from '../../../ui/src/api/types.js';
import { evaluateSelfTest } from '../../../ui/src/logic/selftest.js';
import type { Check, Probe, Probes } from '../../../ui/src/logic/selftest.js';

const PHONE = '10.42.0.23';
const marked = (scheme: 'http' | 'https', client = PHONE): Probe => ({ ok: true, answer: { leakwatch: 'self-test', client, scheme, host: 'x.selftest.leakwatch.internal', time: 1 } });
const failed: Probe = { ok: false, reason: 'the connection failed' };
const allThrough: Probes = { byAddress: marked('http'), byName: marked('http'), https: marked('https') };

function report(over: Partial<SelfTestReport> = {}): SelfTestReport {
  return {
    client: { ip: PHONE, device: 'da:a1:19:3c:4e:01', mac: 'da:a1:19:3c:4e:01', hostname: 'Pixel-7', vendor: null, randomisedMac: true, loopback: false },
    mode: 'transparent', capture: true, names: { domain: 'selftest.leakwatch.internal', address: '192.0.2.1' },
    proxy: { seen: [], refused: [] },
    firewall: { state: 'loaded', rules: { redirectHttp: { present: true, packets: null }, redirectHttps: { present: true, packets: null }, dropQuic: { present: true, packets: 4 }, dropDnsOverTls: { present: true, packets: 0 } } },
    dns: { names: 10, selfTest: ['x.selftest.leakwatch.internal'], elsewhere: [] }, dnsOverTls: { attempts: 0, servers: [] }, quic: { packets: 4 }, doh: [],
    ...over,
  };
}

const run = (r: SelfTestReport, probes: Probes = allThrough) => Object.fromEntries(evaluateSelfTest({ report: r, probes, pageHost: '10.42.0.1' }).map((c) => [c.id, c])) as Record<Check['id'], Check>;
const statuses = (r: SelfTestReport, probes?: Probes) => Object.fromEntries(Object.entries(run(r, probes)).map(([id, c]) => [id, c.status]));

describe('the self-test lines', () => {
  it('are all green for a phone on the hotspot whose traffic, DNS and HTTPS go through the appliance', () => {
    expect(statuses(report())).toEqual({ hotspot: 'pass', proxy: 'pass', dns: 'pass', ca: 'pass', quic: 'pass', 'private-dns': 'pass' });
    expect(run(report()).hotspot.detail).toBe('Known as da:a1:19:3c:4e:01 (Pixel-7, a private (randomised) MAC), address 10.42.0.23.');
    expect(run(report()).quic.detail).toBe('The firewall drops UDP 443 from the hotspot (4 packets so far). This phone tried QUIC with 4 packets, all dropped.');
  });

  it('fail where the browser does not trust the CA, saying so from what the appliance saw, with the fix', () => {
    const r = run(report({ proxy: { seen: [], refused: [{ host: 'x.selftest.leakwatch.internal', cause: 'cert-rejected', time: 1 }] } }), { ...allThrough, https: failed });
    expect(r.ca).toMatchObject({ status: 'fail', detail: 'The appliance saw this browser refuse its certificate.', fix: expect.stringContaining('the Setup page has the steps') });
  });

  it('tell DNS elsewhere (Private DNS, DoH) apart from traffic not reaching the proxy', () => {
    const dnsElsewhere = run(report({ doh: [{ host: 'dns.google', count: 3, last: 1 }], dnsOverTls: { attempts: 2, servers: ['8.8.8.8'] } }), { ...allThrough, byName: failed });
    expect(dnsElsewhere.dns).toMatchObject({ status: 'fail', fix: expect.stringContaining('Private DNS → Off') });
    expect(dnsElsewhere['private-dns'].detail).toBe('The appliance saw that it tried DNS-over-TLS (2 attempts to 8.8.8.8, blocked by the hotspot) and it used DNS-over-HTTPS (dns.google): names it looks up that way are not seen.');
    const offHotspot = statuses(report(), { byAddress: failed, byName: failed, https: failed });
    expect(offHotspot).toMatchObject({ proxy: 'fail', dns: 'unknown', ca: 'unknown' });
    expect(run(report(), { byAddress: failed, byName: failed, https: failed }).proxy.fix).toContain('turn off mobile data and any VPN');
  });

  it('warn about DNS also sent to other servers even when the appliance answers', () => {
    expect(run(report({ dns: { names: 3, selfTest: [], elsewhere: [{ server: '8.8.8.8', packets: 3 }] } })).dns).toMatchObject({ status: 'warn', detail: expect.stringContaining('It also sent DNS to 8.8.8.8') });
  });

  it('fail QUIC when the firewall table is gone, and say "unknown" when it cannot be read, never "pass"', () => {
    expect(run(report({ firewall: { state: 'missing', reason: 'the table inet leakwatch is not loaded' } })).quic).toMatchObject({ status: 'fail', fix: expect.stringContaining('leakwatch doctor') });
    expect(run(report({ firewall: { state: 'unreadable', reason: 'nft is not installed' } })).quic.status).toBe('unknown');
  });

  it('say what cannot be known: capture off, explicit-proxy mode, the page opened on the appliance itself', () => {
    expect(run(report({ capture: false, dnsOverTls: null, quic: null, dns: null }))['private-dns'].status).toBe('unknown');
    const laptop = report({ mode: 'explicit', firewall: null, client: { ip: '127.0.0.1', device: '127.0.0.1', mac: null, hostname: null, vendor: null, randomisedMac: null, loopback: true } });
    expect(statuses(laptop, { ...allThrough, byAddress: marked('http', '127.0.0.1') })).toMatchObject({ hotspot: 'fail', proxy: 'pass', dns: 'pass', quic: 'pass' });
    expect(run(laptop).hotspot.fix).toBe("Open it from the phone, joined to the appliance's Wi-Fi: http://10.42.0.1/ or the address the installer printed.");
  });

  it('fail a phone the appliance knows only by address, and warn when the proxy saw another address', () => {
    const noMac = report({ client: { ip: PHONE, device: PHONE, mac: null, hostname: null, vendor: null, randomisedMac: null, loopback: false } });
    expect(run(noMac).hotspot).toMatchObject({ status: 'fail', fix: expect.stringContaining('join it again') });
    expect(run(report(), { ...allThrough, byAddress: marked('http', '10.42.0.99') }).proxy.status).toBe('warn');
  });
});
