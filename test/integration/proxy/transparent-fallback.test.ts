import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { connect as netConnect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../../appliance/src/model/index.js';
import { AllowedClients } from '../../../appliance/src/sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import type { CertificateAuthority } from '../../../appliance/src/sources/proxy/ca.js';
import { InterceptingProxy } from '../../../appliance/src/sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';

/**
 * The transparent listeners on loopback, without nftables: nothing is redirected, so the socket has
 * no original destination and the proxy falls back to Host and SNI. (The real redirect is tested in
 * the network lab.)
 */
let ca: CertificateAuthority;
let site: Server;
let sitePort: number;
const proxies: InterceptingProxy[] = [];

beforeAll(async () => {
  ca = await loadOrCreateCa(mkdtempSync(join(tmpdir(), 'lw-transparent-')));
  site = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`site ${req.headers.host} ${req.url}`));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  sitePort = (site.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

async function startTransparent(allowed = ['127.0.0.0/8']): Promise<{ http: number; https: number; flows: Flow[]; problems: string[]; refused: string[] }> {
  const proxy = new InterceptingProxy({
    host: '127.0.0.1', port: 0, transparent: { host: '127.0.0.1', httpPort: 0, httpsPort: 0 },
    leaves: new LeafCertificates(ca), allowed: new AllowedClients(allowed), maxInspectBytes: 1024,
  });
  proxies.push(proxy);
  const flows: Flow[] = [];
  const problems: string[] = [];
  const refused: string[] = [];
  proxy.on('flow', (f) => flows.push(f));
  proxy.on('problem', (p) => problems.push(p));
  proxy.on('refused', (a) => refused.push(a));
  await proxy.listen();
  const [http, https] = proxy.transparentAddresses().map((a) => a.port);
  return { http: http!, https: https!, flows, problems, refused };
}

/** An origin-form request, as a phone sends it when it does not know a proxy is there. */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

function closed(socket: { once(event: 'close', cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

async function until<T>(get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out waiting');
}

describe('transparent mode without a redirect', () => {
  it('takes name and port from Host for plain HTTP, records the flow, and says once that the socket had no destination', async () => {
    const { http, flows, problems } = await startTransparent();
    expect(await get(http, '/news/1?x=2', `localhost:${sitePort}`)).toEqual({ status: 200, body: `site localhost:${sitePort} /news/1?x=2` });
    expect(await get(http, '/news/2', `localhost:${sitePort}`)).toEqual({ status: 200, body: `site localhost:${sitePort} /news/2` });
    const flow = await until(() => flows[1]);
    expect(flows.map((f) => f.url)).toEqual([`http://localhost:${sitePort}/news/1?x=2`, `http://localhost:${sitePort}/news/2`]);
    expect(flow).toMatchObject({ method: 'GET', source: 'proxy', device: '127.0.0.1', destination: { host: 'localhost', port: sitePort, ip: '127.0.0.1' }, response: { status: 200, mimeType: 'text/plain' } });
    expect(problems).toEqual(['no original destination on redirected connections (not redirected by nftables, or SO_ORIGINAL_DST unreadable); using SNI and Host names instead']);
  });

  it('answers 502 to plain HTTP that names no host at all', async () => {
    const { http } = await startTransparent();
    const reply = await new Promise<string>((resolve) => {
      const socket = netConnect(http, '127.0.0.1', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c)).on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*\r\n\r\nleakwatch: cannot tell where this request was going\n$/);
  });

  it('presents a certificate from the appliance CA for the name in SNI', async () => {
    const { https } = await startTransparent();
    const socket = tlsConnect({ host: '127.0.0.1', port: https, servername: 'sa.api.intl.miui.com', ca: ca.certificatePem, ALPNProtocols: ['h2', 'http/1.1'] });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    expect({ san: socket.getPeerCertificate().subjectaltname, alpn: socket.alpnProtocol, authorized: socket.authorized }).toEqual({ san: 'DNS:sa.api.intl.miui.com', alpn: 'h2', authorized: true });
    socket.destroy();
  });

  it('closes a connection to the HTTPS port that does not start with TLS', async () => {
    const { https } = await startTransparent();
    const socket = netConnect(https, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    let received = '';
    socket.setEncoding('utf8').on('data', (c: string) => (received += c));
    await closed(socket);
    expect(received).toBe('');
  });

  it.each(['http', 'https'] as const)('refuses clients outside the allowed ranges on the redirected %s port', async (scheme) => {
    const ports = await startTransparent(['10.42.0.0/24']);
    const socket = netConnect(ports[scheme], '127.0.0.1');
    socket.on('error', () => undefined);
    await closed(socket);
    expect(ports.refused).toEqual(['127.0.0.1']);
  });
});
