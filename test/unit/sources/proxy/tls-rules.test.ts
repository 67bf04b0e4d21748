import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ja4 } from '../../../../appliance/src/sources/shared/ja4.js';
import { parseClientHello, sniFromClientHello } from '../../../../appliance/src/sources/shared/client-hello.js';
import { DEFAULT_PINNING_POLICY, PinningJudge } from '../../../../appliance/src/sources/proxy/passthrough.js';
import { classifyTlsFailure } from '../../../../appliance/src/sources/proxy/tls-failure.js';

/** The first bytes a real TLS client (Node's) sends for `servername`. */
function clientHello(servername: string, ALPNProtocols?: string[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk);
        socket.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', servername, ...(ALPNProtocols ? { ALPNProtocols } : {}) }).on('error', () => undefined);
    });
  });
}

describe('sniFromClientHello', () => {
  it('reads the name a real client asks for', async () => {
    expect(sniFromClientHello(await clientHello('Sa.API.intl.miui.com'))).toBe('sa.api.intl.miui.com');
  });

  it('reads the protocols a client offers (ALPN)', async () => {
    expect(parseClientHello(await clientHello('x.example', ['h2', 'http/1.1']))).toMatchObject({ sni: 'x.example', alpn: ['h2', 'http/1.1'] });
  });

  it("reads what a JA4 fingerprint is made of from Node's own TLS client", async () => {
    const hello = parseClientHello(await clientHello('x.example', ['h2']))!;
    expect(hello.legacyVersion).toBe(0x0303);
    expect(hello.supportedVersions).toContain(0x0304);
    expect(hello.ciphers).toContain(0x1301);
    expect(hello.extensions).toEqual(expect.arrayContaining([0x0000, 0x0010, 0x000d, 0x002b]));
    expect(hello.signatureAlgorithms.length).toBeGreaterThan(3);
    expect(ja4(hello)).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
  });

  it.each([
    ['plain HTTP', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.padEnd(60, ' '))],
    ['a cut-off hello', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0, 1, 0xfc, 3, 3])],
    ['nothing', Buffer.alloc(0)],
  ])('finds none in %s', (_name, bytes) => {
    expect(sniFromClientHello(bytes)).toBeUndefined();
  });
});

describe('TLS failure causes', () => {
  it.each([
    [{ code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'tlsv1 alert unknown ca' }, 'cert-rejected'],
    [{ message: 'sslv3 alert bad certificate' }, 'cert-rejected'],
    [{ message: 'sslv3 alert certificate unknown' }, 'cert-rejected'],
    [undefined, 'closed'],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, 'reset'],
    [{ code: 'ETIMEDOUT', message: 'timeout' }, 'timeout'],
    [{ message: 'wrong version number' }, 'unknown'],
  ] as const)('%j → %s', (error, cause) => {
    expect(classifyTlsFailure(error)).toBe(cause);
  });
});

describe('PinningJudge: passthrough is earned', () => {
  const MIN = 60_000;
  const judge = () => new PinningJudge({ ...DEFAULT_PINNING_POLICY, firstMs: 30 * MIN });
  const PHONE = '10.42.0.50';
  const APP = 't13d1516h2_8daaf6152771_02713d6af862';
  const BROWSER = 't13d1517h2_8daaf6152771_b0da82dd1658';

  it('one handshake that just closed earns nothing — a browser drops spare connections all the time', () => {
    const j = judge();
    expect(j.refused(PHONE, 'tracker.example', BROWSER, 'closed', 0)).toEqual({ afterAccepting: false });
    expect(j.passes(PHONE, 'tracker.example', BROWSER, 1)).toBe(false);
    expect(j.current(1)).toEqual([]);
  });

  it('a TLS alert refusing our certificate earns passthrough at once, for that client and host only', () => {
    const j = judge();
    const { passthrough } = j.refused(PHONE, 'api.bank.example', APP, 'cert-rejected', 1000);
    expect(passthrough).toEqual({ device: PHONE, host: 'api.bank.example', ja4: APP, reason: 'certificate-rejected', since: 1000, until: 1000 + 30 * MIN });
    expect(j.passes(PHONE, 'api.bank.example', APP, 2000)).toBe(true);
    // The device's browser (another fingerprint), another device, another host: still inspected.
    expect(j.passes(PHONE, 'api.bank.example', BROWSER, 2000)).toBe(false);
    expect(j.passes('10.42.0.51', 'api.bank.example', APP, 2000)).toBe(false);
    expect(j.passes(PHONE, 'other.example', APP, 2000)).toBe(false);
  });

  it('silent refusals earn passthrough only when repeated within the window, never having taken our certificate', () => {
    const j = judge();
    expect(j.refused(PHONE, 'pinned.example', APP, 'closed', 0).passthrough).toBeUndefined();
    expect(j.refused(PHONE, 'pinned.example', APP, 'reset', 11 * MIN).passthrough).toBeUndefined();
    // The first fell out of the 10-minute window: two in it so far.
    expect(j.refused(PHONE, 'pinned.example', APP, 'closed', 12 * MIN).passthrough).toBeUndefined();
    expect(j.refused(PHONE, 'pinned.example', APP, 'closed', 13 * MIN).passthrough).toMatchObject({ reason: 'repeated-refusals', until: 43 * MIN });
  });

  it('ignores timeouts and unknown failures: they say nothing about our certificate', () => {
    const j = judge();
    for (let i = 0; i < 5; i++) expect(j.refused(PHONE, 'slow.example', APP, i % 2 ? 'timeout' : 'unknown', i).passthrough).toBeUndefined();
  });

  it('a client that took our certificate lately is not refusing us when it hangs up mid-handshake', () => {
    const j = judge();
    j.accepted(PHONE, 'cdn.example', BROWSER, 0);
    for (let i = 1; i <= 5; i++) expect(j.refused(PHONE, 'cdn.example', BROWSER, 'closed', i * 1000)).toEqual({ afterAccepting: false });
    expect(j.passes(PHONE, 'cdn.example', BROWSER, 6000)).toBe(false);
  });

  it('a client that takes our certificates for other hosts is a browser cutting loads short, not refusing this host', () => {
    const j = judge();
    j.accepted(PHONE, 'news.example', BROWSER, 0);
    for (let i = 1; i <= 6; i++) expect(j.refused(PHONE, 'tracker.example', BROWSER, 'closed', i * 1000).passthrough).toBeUndefined();
    // Another app (another fingerprint) that takes none of our certificates does earn it.
    for (const t of [1, 2]) expect(j.refused(PHONE, 'tracker.example', APP, 'closed', t).passthrough).toBeUndefined();
    expect(j.refused(PHONE, 'tracker.example', APP, 'closed', 3).passthrough).toMatchObject({ reason: 'repeated-refusals' });
    // Long after the browser last took one of our certificates, its silent refusals count again.
    for (const t of [20, 21]) expect(j.refused(PHONE, 'tracker.example', BROWSER, 'closed', t * MIN).passthrough).toBeUndefined();
    expect(j.refused(PHONE, 'tracker.example', BROWSER, 'closed', 22 * MIN).passthrough).toMatchObject({ reason: 'repeated-refusals' });
  });

  it('a client that took our certificate and later rejects it is noteworthy, and passes through', () => {
    const j = judge();
    j.accepted(PHONE, 'api.app.example', APP, 0);
    const refusal = j.refused(PHONE, 'api.app.example', APP, 'cert-rejected', 5000);
    expect(refusal.afterAccepting).toBe(true);
    expect(refusal.passthrough).toMatchObject({ reason: 'refused-after-accepting' });
  });

  it('re-probes when a passthrough ends, and each one after the first lasts twice as long, up to a day', () => {
    const j = judge();
    let now = 0;
    const durations: number[] = [];
    for (let i = 0; i < 8; i++) {
      const p = j.refused(PHONE, 'pinned.example', APP, 'cert-rejected', now).passthrough!;
      durations.push((p.until - p.since) / MIN);
      now = p.until;
      // Intercepted again (the probe) once it ended.
      expect(j.passes(PHONE, 'pinned.example', APP, now)).toBe(false);
    }
    expect(durations).toEqual([30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it('after a passthrough ended, one silent refusal of the same client is its pattern again', () => {
    const j = judge();
    for (const t of [0, 1, 2]) j.refused(PHONE, 'pinned.example', APP, 'closed', t);
    expect(j.refused(PHONE, 'pinned.example', APP, 'closed', 31 * MIN).passthrough).toMatchObject({ reason: 'repeated-refusals', until: 31 * MIN + 60 * MIN });
  });

  it('taking our certificate again starts the client afresh', () => {
    const j = judge();
    j.refused(PHONE, 'app.example', APP, 'cert-rejected', 0);
    j.accepted(PHONE, 'app.example', APP, 31 * MIN);
    expect(j.refused(PHONE, 'app.example', APP, 'closed', 50 * MIN).passthrough).toBeUndefined();
    expect(j.refused(PHONE, 'app.example', APP, 'cert-rejected', 51 * MIN).passthrough).toMatchObject({ reason: 'refused-after-accepting', until: 81 * MIN });
  });

  it('lists what passes through now, newest first, and forgets the oldest client beyond its bound', () => {
    const j = new PinningJudge({ ...DEFAULT_PINNING_POLICY, firstMs: MIN, maxEntries: 2 });
    j.refused(PHONE, 'a.example', APP, 'cert-rejected', 0);
    j.refused(PHONE, 'b.example', APP, 'cert-rejected', 10);
    expect(j.current(20).map((p) => p.host)).toEqual(['b.example', 'a.example']);
    j.refused(PHONE, 'c.example', APP, 'cert-rejected', 30);
    expect(j.current(40).map((p) => p.host)).toEqual(['c.example', 'b.example']);
    expect(j.current(MIN + 20).map((p) => p.host)).toEqual(['c.example']);
  });
});
