import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../../appliance/src/model/index.js';
import { SelfTestLog } from '../../../appliance/src/system/self-test-log.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

const PHONE_MAC = 'da:a1:19:3c:4e:01';
const PHONE_IP = '10.42.0.23';
let transparent: TestApi;
let explicit: TestApi;
const log = new SelfTestLog();

function flow(id: string, host: string, time: number, passthrough = false): Flow {
  return {
    id, device: PHONE_MAC, time, method: passthrough ? 'CONNECT' : 'GET', url: `https://${host}/`, headers: [], body: new Uint8Array(),
    destination: { host, port: 443 }, source: 'proxy', initiator: {}, ...(passthrough ? { tls: { decryption: 'passthrough' as const } } : {}),
  };
}

beforeAll(async () => {
  const now = Date.now();
  transparent = await testApi({
    config: { ...(await import('../../../appliance/src/config/config.js')).DEFAULT_CONFIG, transparent: { enabled: true, host: '0.0.0.0', httpPort: 8081, httpsPort: 8443 } },
    selfTest: {
      log,
      identify: (ip) => (ip === PHONE_IP ? { id: PHONE_MAC, ip, mac: PHONE_MAC, hostname: 'Pixel-7', randomisedMac: true } : { id: ip, ip }),
      firewall: async () => ({ state: 'loaded', rules: { redirectHttp: { present: true, packets: null }, redirectHttps: { present: true, packets: null }, dropQuic: { present: true, packets: 12 }, dropDnsOverTls: { present: true, packets: 2 } } }),
      applianceAddresses: () => ['10.42.0.1'],
    },
    passthroughs: () => [
      { device: PHONE_MAC, host: 'api.bank.example', ja4: 't13d1516h2_8daaf6152771_02713d6af862', reason: 'certificate-rejected', since: now - 5000, until: now + 30 * 60_000 },
      { device: PHONE_MAC, host: 'pinned-now.example', reason: 'repeated-refusals', since: now - 1000, until: now + 30 * 60_000 },
      { device: 'aa:bb:cc:dd:ee:ff', host: 'elsewhere.example', reason: 'certificate-rejected', since: now, until: now + 60_000 },
    ],
    activity: {
      traffic: (device) => (device === PHONE_MAC ? [
        { peer: '10.42.0.1', bytesOut: 500, bytesIn: 900, packetsOut: 6, packetsIn: 6, tcpPorts: [], dnsOverTlsAttempts: 0, quicPackets: 0, dnsPackets: 6, firstSeen: 1, lastSeen: 2 },
        { peer: '8.8.8.8', bytesOut: 300, bytesIn: 0, packetsOut: 5, packetsIn: 0, tcpPorts: [853], dnsOverTlsAttempts: 2, quicPackets: 0, dnsPackets: 3, firstSeen: 1, lastSeen: 2 },
        { peer: '142.250.1.1', bytesOut: 9000, bytesIn: 0, packetsOut: 7, packetsIn: 0, tcpPorts: [], dnsOverTlsAttempts: 0, quicPackets: 7, dnsPackets: 0, firstSeen: 1, lastSeen: 2 },
      ] : []),
      dnsLookups: (device) => (device === PHONE_MAC ? [{ name: 'k2x9.selftest.leakwatch.internal', addresses: ['192.0.2.1'], count: 1, firstSeen: now, lastSeen: now }, { name: 'news.example', addresses: ['1.2.3.4'], count: 1, firstSeen: 1, lastSeen: 1 }] : []),
    },
  });
  transparent.store.recordMany([
    { flow: flow('f1', 'dns.google', now - 60_000), alerts: [] },
    { flow: flow('f2', 'news.example', now - 50_000), alerts: [] },
    { flow: flow('f3', 'api.bank.example', now - 40_000, true), alerts: [] },
  ], undefined);
  log.saw({ leakwatch: 'self-test', client: PHONE_IP, scheme: 'http', host: 'k2x9.selftest.leakwatch.internal', time: now });
  log.refused(PHONE_IP, 'k2x9.selftest.leakwatch.internal', 'cert-rejected', now);
  log.saw({ leakwatch: 'self-test', client: '10.42.0.99', scheme: 'http', host: 'other.selftest.leakwatch.internal', time: now });
  explicit = await testApi();
});
afterAll(async () => {
  await transparent?.close();
  await explicit?.close();
});

describe('the self-test (what the appliance saw of the calling phone)', () => {
  it('names the phone, its self-test requests and refusals, the firewall, and every way it could hide DNS', async () => {
    const r = await transparent.app.inject({ method: 'GET', url: '/api/selftest', remoteAddress: PHONE_IP, headers: { cookie: transparent.cookie } });
    const body = r.json();
    expect(body.client).toEqual({ ip: PHONE_IP, device: PHONE_MAC, mac: PHONE_MAC, hostname: 'Pixel-7', vendor: null, randomisedMac: true, loopback: false });
    expect(body.mode).toBe('transparent');
    expect(body.capture).toBe(true);
    expect(body.names).toEqual({ domain: 'selftest.leakwatch.internal', address: '192.0.2.1' });
    expect(body.proxy.seen).toEqual([{ scheme: 'http', host: 'k2x9.selftest.leakwatch.internal', time: expect.any(Number) }]);
    expect(body.proxy.refused).toEqual([{ host: 'k2x9.selftest.leakwatch.internal', cause: 'cert-rejected', time: expect.any(Number) }]);
    expect(body.firewall).toMatchObject({ state: 'loaded', rules: { dropQuic: { present: true, packets: 12 } } });
    expect(body.dns).toEqual({ names: 2, selfTest: ['k2x9.selftest.leakwatch.internal'], elsewhere: [{ server: '8.8.8.8', packets: 3 }] });
    expect(body.dnsOverTls).toEqual({ attempts: 2, servers: ['8.8.8.8'] });
    expect(body.quic).toEqual({ packets: 7 });
    expect(body.doh).toEqual([{ host: 'dns.google', count: 1, last: expect.any(Number) }]);
  });

  it('says what it cannot know in explicit-proxy mode without capture, instead of guessing', async () => {
    const r = await explicit.app.inject({ method: 'GET', url: '/api/selftest', remoteAddress: '127.0.0.1', headers: { cookie: explicit.cookie } });
    expect(r.json()).toMatchObject({ client: { ip: '127.0.0.1', device: '127.0.0.1', mac: null, loopback: true }, mode: 'explicit', capture: false, firewall: null, dns: null, dnsOverTls: null, quic: null, doh: [] });
  });

  it('lists the hosts a device would not let the appliance see into', async () => {
    const r = await transparent.app.inject({ method: 'GET', url: `/api/devices/${PHONE_MAC}/passthrough`, headers: { cookie: transparent.cookie } });
    // Passed through now (with why and until when), passed through earlier (from the stored flows), or both.
    expect(r.json()).toEqual([
      { host: 'pinned-now.example', count: 0, last: expect.any(Number), reason: 'repeated-refusals', until: expect.any(Number) },
      { host: 'api.bank.example', count: 1, last: expect.any(Number), reason: 'certificate-rejected', until: expect.any(Number) },
    ]);
  });
});
