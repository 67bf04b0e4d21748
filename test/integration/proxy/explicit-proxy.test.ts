import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Detector } from '../../../appliance/src/detect/index.js';
import { createIntel, parseOverlay } from '../../../appliance/src/intel/index.js';
import type { Alert, Flow } from '../../../appliance/src/model/index.js';
import { AllowedClients } from '../../../appliance/src/sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import type { CertificateAuthority } from '../../../appliance/src/sources/proxy/ca.js';
import { InterceptingProxy } from '../../../appliance/src/sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-proxy-'));
let applianceCa: CertificateAuthority;
let upstreamCa: CertificateAuthority;
const servers: Server[] = [];
const proxies: InterceptingProxy[] = [];
const received: { method: string; url: string; bytes: number; sha: string; body: string }[] = [];

/** An upstream site: echoes what it got, as a page or as JSON. */
function site(req: IncomingMessage, res: ServerResponse): void {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    hash.update(c);
    bytes += c.length;
    if (bytes <= 4096) chunks.push(c);
  });
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', bytes, sha: hash.digest('hex'), body: Buffer.concat(chunks).toString() });
    const html = (req.headers.accept ?? '').includes('text/html');
    res.writeHead(200, { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json' });
    res.end(html ? `<html><body>page ${req.url}</body></html>` : JSON.stringify({ ok: true, bytes }));
  });
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** An HTTPS site with certificates from `ca`: by SNI, and for 127.0.0.1 when the client sends none. */
async function tlsSite(ca: CertificateAuthority): Promise<Server> {
  const leaves = new LeafCertificates(ca);
  return createHttpsServer({ ...(await leaves.credentialsFor('127.0.0.1')), SNICallback: (name, cb) => leaves.contextFor(name || 'localhost').then((ctx) => cb(null, ctx), cb) }, site);
}

async function startProxy(options: { allowed?: string[]; onFlow?: (f: Flow) => void; responseWaitMs?: number } = {}): Promise<{ port: number; flows: Flow[]; problems: string[] }> {
  const proxy = new InterceptingProxy({
    host: '127.0.0.1', port: 0, leaves: new LeafCertificates(applianceCa), allowed: new AllowedClients(options.allowed ?? ['127.0.0.0/8']),
    maxInspectBytes: 64 * 1024, upstreamCa: upstreamCa.certificatePem, ...(options.responseWaitMs ? { responseWaitMs: options.responseWaitMs } : {}),
  });
  proxies.push(proxy);
  const flows: Flow[] = [];
  const problems: string[] = [];
  proxy.on('flow', options.onFlow ?? ((f) => flows.push(f)));
  proxy.on('problem', (p) => problems.push(p));
  const { port } = await proxy.listen();
  return { port, flows, problems };
}

/** curl as the client: real TLS, trusting the appliance CA, through the explicit proxy. */
function curl(proxyPort: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const caFile = join(dir, 'appliance-ca.pem');
  writeFileSync(caFile, applianceCa.certificatePem);
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--max-time', '30', '--noproxy', '', '-x', `http://127.0.0.1:${proxyPort}`, '--cacert', caFile, ...args], { env: { PATH: process.env.PATH }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function until<T>(get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out waiting');
}

let httpsPort: number;
let httpPort: number;
let untrustedPort: number;

beforeAll(async () => {
  applianceCa = await loadOrCreateCa(join(dir, 'appliance'));
  upstreamCa = await loadOrCreateCa(join(dir, 'upstream'));
  const stranger = await loadOrCreateCa(join(dir, 'stranger'));
  httpsPort = await listen(await tlsSite(upstreamCa));
  httpPort = await listen(createHttpServer(site));
  untrustedPort = await listen(await tlsSite(stranger));
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  for (const s of servers) s.closeAllConnections?.();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('the explicit proxy', () => {
  it('creates its CA with the private key readable by the owner only', () => {
    expect(statSync(join(dir, 'appliance/ca/leakwatch-ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'appliance/ca')).mode & 0o777).toBe(0o700);
    expect(applianceCa.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('reloads the same CA on the next start', async () => {
    const again = await loadOrCreateCa(join(dir, 'appliance'));
    expect(again.certificatePem).toBe(applianceCa.certificatePem);
  });

  it('intercepts HTTPS through CONNECT and records the request as a Flow', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, ['-H', 'Accept: application/json', `https://localhost:${httpsPort}/api/items?x=1`]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, bytes: 0 });
    const flow = await until(() => flows[0]);
    expect(flow).toMatchObject({ method: 'GET', url: `https://localhost:${httpsPort}/api/items?x=1`, source: 'proxy', device: '127.0.0.1', destination: { host: 'localhost', port: httpsPort, ip: '127.0.0.1' }, response: { status: 200, mimeType: 'application/json' } });
    // curl offers TLS 1.3 with SNI; it sends no ALPN when it asks for neither HTTP version.
    expect(flow.tls).toEqual({ decryption: 'intercepted', ja4: expect.stringMatching(/^t13d\d{4}(h1|h2|00)_[0-9a-f]{12}_[0-9a-f]{12}$/) });
  });

  it('speaks HTTP/2 to clients that offer it (ALPN), and records the request the same way', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, ['--http2', '-w', '\n%{http_version}', '--data', 'q=privacy', `https://localhost:${httpsPort}/h2?x=1`]);
    expect(r.stdout.split('\n')).toEqual(['{"ok":true,"bytes":9}', '2']);
    const flow = await until(() => flows[0]);
    expect(flow).toMatchObject({ method: 'POST', url: `https://localhost:${httpsPort}/h2?x=1`, httpVersion: 'HTTP/2.0' });
    expect(Buffer.from(flow.body).toString()).toBe('q=privacy');
    expect(flow.headers.some((h) => h.name.startsWith(':'))).toBe(false);
  });

  it('keeps an HTTP/1.1 tunnel alive: two requests, one connection, two flows', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, ['--http1.1', '-H', 'Accept: application/json', '-w', ' connects=%{num_connects}\n', `https://localhost:${httpsPort}/ka/1`, `https://localhost:${httpsPort}/ka/2`]);
    expect(r.stdout).toBe('{"ok":true,"bytes":0} connects=1\n{"ok":true,"bytes":0} connects=0\n');
    await until(() => flows[1]);
    expect(flows.map((f) => [f.url, f.httpVersion])).toEqual([[`https://localhost:${httpsPort}/ka/1`, 'HTTP/1.1'], [`https://localhost:${httpsPort}/ka/2`, 'HTTP/1.1']]);
  });

  it('serves concurrent HTTP/2 streams on one tunnelled connection (node:http2 client)', async () => {
    const { port, flows } = await startProxy();
    const raw = netConnect(port, '127.0.0.1');
    raw.write(`CONNECT localhost:${httpsPort} HTTP/1.1\r\nHost: localhost:${httpsPort}\r\n\r\n`);
    await new Promise((r) => raw.once('data', r));
    const session = http2Connect(`https://localhost:${httpsPort}`, {
      createConnection: () => tlsConnect({ socket: raw, servername: 'localhost', ca: applianceCa.certificatePem, ALPNProtocols: ['h2'] }),
    });
    const fetch2 = (path: string) => new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': path, accept: 'text/html' });
      let text = '';
      stream.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
    });
    const pages = await Promise.all([fetch2('/s/1'), fetch2('/s/2'), fetch2('/s/3')]);
    session.close();
    expect(pages).toEqual(['<html><body>page /s/1</body></html>', '<html><body>page /s/2</body></html>', '<html><body>page /s/3</body></html>']);
    await until(() => flows[2]);
    expect(flows.map((f) => f.url).sort()).toEqual(['/s/1', '/s/2', '/s/3'].map((p) => `https://localhost:${httpsPort}${p}`));
    expect(flows.every((f) => f.httpVersion === 'HTTP/2.0' && f.response?.mimeType === 'text/html; charset=utf-8')).toBe(true);
  });

  it('keeps the device of an HTTP/2 request that ends after its connection closed (a beacon sent as the page goes away)', async () => {
    const { port, flows } = await startProxy();
    const raw = netConnect(port, '127.0.0.1');
    raw.write(`CONNECT localhost:${httpsPort} HTTP/1.1\r\nHost: localhost:${httpsPort}\r\n\r\n`);
    await new Promise((r) => raw.once('data', r));
    const session = http2Connect(`https://localhost:${httpsPort}`, {
      createConnection: () => tlsConnect({ socket: raw, servername: 'localhost', ca: applianceCa.certificatePem, ALPNProtocols: ['h2'] }),
    });
    await new Promise((r) => session.once('remoteSettings', r));
    const beacon = session.request({ ':method': 'POST', ':path': '/beacon', 'content-type': 'text/plain' });
    beacon.on('error', () => undefined);
    beacon.write('visited=https://news.example/story');
    await new Promise((r) => setTimeout(r, 100));
    session.destroy();
    raw.destroy();
    const flow = await until(() => flows.find((f) => f.url.endsWith('/beacon')));
    expect(flow).toMatchObject({ device: '127.0.0.1', method: 'POST', httpVersion: 'HTTP/2.0' });
    expect(Buffer.from(flow.body).toString()).toBe('visited=https://news.example/story');
  });

  it('makes a certificate for an IP-address host, which clients reach without SNI', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, ['-H', 'Accept: application/json', `https://127.0.0.1:${httpsPort}/by-ip`]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, bytes: 0 });
    expect(await until(() => flows[0])).toMatchObject({ url: `https://127.0.0.1:${httpsPort}/by-ip` });
  });

  it('forwards a POST body and keeps a copy for inspection', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, ['--data', 'a=1&u=https%3A%2F%2Fnews.example%2Fx', `https://localhost:${httpsPort}/collect`]);
    expect(r.code).toBe(0);
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/collect', body: 'a=1&u=https%3A%2F%2Fnews.example%2Fx' });
    const flow = await until(() => flows[0]);
    expect(Buffer.from(flow.body).toString()).toBe('a=1&u=https%3A%2F%2Fnews.example%2Fx');
  });

  it('proxies plain HTTP in absolute form', async () => {
    const { port, flows } = await startProxy();
    const r = await curl(port, [`http://localhost:${httpPort}/plain?q=1`]);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, bytes: 0 });
    const flow = await until(() => flows[0]);
    expect(flow).toMatchObject({ url: `http://localhost:${httpPort}/plain?q=1` });
    expect(flow.tls).toBeUndefined();
  });

  it('streams a chunked 20 MB upload whole while copying only the inspection cap', async () => {
    const { port, flows } = await startProxy();
    const file = join(dir, 'upload.bin');
    const data = Buffer.alloc(20 * 1024 * 1024, 7);
    writeFileSync(file, data);
    const r = await curl(port, ['--http1.1', '--data-binary', `@${file}`, '-H', 'Content-Type: application/octet-stream', '-H', 'Transfer-Encoding: chunked', `https://localhost:${httpsPort}/upload`]);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, bytes: data.length });
    expect(received.at(-1)?.sha).toBe(createHash('sha256').update(data).digest('hex'));
    const flow = await until(() => flows[0]);
    expect(flow.headers).toContainEqual({ name: 'Transfer-Encoding', value: 'chunked' });
    expect(flow.body.length).toBe(64 * 1024);
    expect(flow.bodyTruncated).toBe(true);
  });

  it('refuses an upstream whose certificate it cannot verify, and tells the client', async () => {
    const { port } = await startProxy();
    const r = await curl(port, ['-w', '%{http_code}', `https://localhost:${untrustedPort}/`]);
    expect(r.stdout).toMatch(/could not reach localhost:\d+: .*(SELF_SIGNED|UNABLE_TO|unable to verify|self-signed|certificate)/i);
    expect(r.stdout.endsWith('502')).toBe(true);
  });

  it('relays a WebSocket upgrade through a CONNECT tunnel, both ways, and records the upgrade request', async () => {
    const wsSite = await tlsSite(upstreamCa);
    new WebSocketServer({ server: wsSite as unknown as HttpsServer }).on('connection', (socket) => socket.on('message', (m) => socket.send(`echo:${m}`)));
    const wsPort = await listen(wsSite);
    const { port, flows } = await startProxy();
    const raw = netConnect(port, '127.0.0.1');
    raw.write(`CONNECT localhost:${wsPort} HTTP/1.1\r\nHost: localhost:${wsPort}\r\n\r\n`);
    await new Promise((r) => raw.once('data', r));
    const tunnel = tlsConnect({ socket: raw, servername: 'localhost', ca: applianceCa.certificatePem, ALPNProtocols: ['http/1.1'] });
    const client = new WebSocket(`wss://localhost:${wsPort}/chat`, { createConnection: () => tunnel });
    const reply = await new Promise<string>((resolve, reject) => {
      client.on('open', () => client.send('hello'));
      client.on('message', (m) => resolve(String(m)));
      client.on('error', reject);
    });
    client.close();
    expect(reply).toBe('echo:hello');
    expect(await until(() => flows[0])).toMatchObject({ method: 'GET', url: `https://localhost:${wsPort}/chat`, device: '127.0.0.1', response: { status: 101 }, destination: { host: 'localhost', port: wsPort, ip: '127.0.0.1' } });
  });

  it('passes a host through after a client rejects our certificate, so the client keeps working, and records the passthrough', async () => {
    const { port, flows } = await startProxy();
    const upstreamCaFile = join(dir, 'upstream-ca.pem');
    writeFileSync(upstreamCaFile, upstreamCa.certificatePem);
    // This client trusts the real server's CA but not the appliance's (a pinned app).
    const pinnedClient = (n: number) => new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('curl', ['-sS', '--max-time', '20', '--noproxy', '', '-x', `http://127.0.0.1:${port}`, '--cacert', upstreamCaFile, `https://localhost:${httpsPort}/pinned/${n}`], { env: { PATH: process.env.PATH } }, (error, stdout) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
      });
    });
    expect((await pinnedClient(1)).code).not.toBe(0);
    const second = await pinnedClient(2);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ ok: true, bytes: 0 });
    const passthrough = await until(() => flows.find((f) => f.tls?.decryption === 'passthrough'));
    expect(passthrough).toMatchObject({ method: 'CONNECT', url: `https://localhost:${httpsPort}/`, destination: { host: 'localhost', port: httpsPort }, body: new Uint8Array() });
    expect(passthrough.tls?.ja4).toMatch(/^t13d/);
    expect(flows.filter((f) => f.url.includes('/pinned/'))).toEqual([]);
  });

  it.each([
    ['the client gives up', undefined],
    ['the wait for the response head runs out', 20],
  ])('inspects a request whose server never answers, once %s', async (_when, responseWaitMs) => {
    const silent = createHttpServer();
    const arrived = new Promise<IncomingMessage>((resolve) => silent.once('request', resolve));
    const silentPort = await listen(silent);
    const { port, flows } = await startProxy({ ...(responseWaitMs ? { responseWaitMs } : {}) });
    const client = netConnect(port, '127.0.0.1');
    client.on('error', () => undefined);
    client.write(`POST http://localhost:${silentPort}/beacon HTTP/1.1\r\nHost: localhost:${silentPort}\r\nContent-Length: 9\r\n\r\nq=privacy`);
    const upstreamRequest = await arrived;
    if (!responseWaitMs) client.destroy();
    const flow = await until(() => flows[0]);
    expect(flow).toMatchObject({ method: 'POST', url: `http://localhost:${silentPort}/beacon` });
    expect(flow.response).toBeUndefined();
    expect(Buffer.from(flow.body).toString()).toBe('q=privacy');
    client.destroy();
    // The upstream request is dropped with the client, not left waiting.
    await new Promise((resolve) => (upstreamRequest.socket.destroyed ? resolve(undefined) : upstreamRequest.socket.once('close', resolve)));
  });

  it('keeps the connection working when inspection throws', async () => {
    const { port, problems } = await startProxy({ onFlow: () => { throw new Error('detector exploded'); } });
    const r = await curl(port, ['-H', 'Accept: application/json', `https://localhost:${httpsPort}/still-works`]);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, bytes: 0 });
    expect(await until(() => problems.find((p) => p.includes('detector exploded')))).toMatch(/inspecting proxy:[0-9a-z]+:0: detector exploded/);
  });

  it('is never an open proxy: clients outside the allowed ranges are cut off', async () => {
    const { port, flows } = await startProxy({ allowed: ['10.42.0.0/24'] });
    const r = await curl(port, [`http://localhost:${httpPort}/nope`]);
    expect(r.code).not.toBe(0);
    expect(flows).toEqual([]);
  });

  it('raises a china-linked alert when a page visited through it is reported to telemetry through it', async () => {
    const intel = createIntel({ owners: [], networks: [{ asn: 45102, company: 'Alibaba Cloud (test)', source: 'test' }], overlays: [parseOverlay({ ranges: [{ cidr: '127.0.0.0/8', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }] }, 'test')] });
    const detector = new Detector(intel);
    const alerts: Alert[] = [];
    const { port } = await startProxy({ onFlow: (f) => alerts.push(...detector.observe(f)) });
    const page = `https://localhost:${httpsPort}/news/article-42`;
    await curl(port, ['-H', 'Accept: text/html', page]);
    const events = [{ event: 'page_load_event_finish', properties: { url: page } }];
    const data = gzipSync(JSON.stringify(events)).toString('base64');
    await curl(port, ['-A', 'Dalvik/2.1.0 (Linux; U; Android 10)', '--data', `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`, `https://localhost:${httpsPort}/sa?project=global_browser_mini`]);
    const alert = await until(() => alerts[0]);
    expect(alert).toMatchObject({ confidence: 'confirmed', data: { kind: 'url', value: page }, path: 'form:data_list → base64 → gzip → json:$[0].properties.url', destination: { chinaLinked: true, asn: 45102 } });
  });
});
