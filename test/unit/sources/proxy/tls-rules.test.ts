import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ja4 } from '../../../../appliance/src/sources/shared/ja4.js';
import { parseClientHello, sniFromClientHello } from '../../../../appliance/src/sources/shared/client-hello.js';
import { PassthroughRegistry } from '../../../../appliance/src/sources/proxy/passthrough.js';
import { classifyTlsFailure, meansPinned } from '../../../../appliance/src/sources/proxy/tls-failure.js';

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
    [{ code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'tlsv1 alert unknown ca' }, 'cert-rejected', true],
    [{ message: 'sslv3 alert bad certificate' }, 'cert-rejected', true],
    [{ message: 'sslv3 alert certificate unknown' }, 'cert-rejected', true],
    [undefined, 'closed', true],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, 'reset', false],
    [{ code: 'ETIMEDOUT', message: 'timeout' }, 'timeout', false],
    [{ message: 'wrong version number' }, 'unknown', false],
  ] as const)('%j → %s', (error, cause, pinned) => {
    expect(classifyTlsFailure(error)).toBe(cause);
    expect(meansPinned(classifyTlsFailure(error))).toBe(pinned);
  });
});

describe('PassthroughRegistry', () => {
  it('passes a host through for one device, for a while', () => {
    const r = new PassthroughRegistry(60_000);
    r.add('10.42.0.50', 'api.bank.example', 1_000);
    expect(r.has('10.42.0.50', 'api.bank.example', 30_000)).toBe(true);
    expect(r.has('10.42.0.51', 'api.bank.example', 30_000)).toBe(false);
    expect(r.has('10.42.0.50', 'other.example', 30_000)).toBe(false);
    expect(r.has('10.42.0.50', 'api.bank.example', 61_001)).toBe(false);
  });
});
