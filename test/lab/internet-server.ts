/**
 * The lab's "internet", run inside the internet namespace: a news site (HTTP, and HTTPS with HTTP/2)
 * on the "US CDN" subnet, a Sensors-Analytics-like telemetry endpoint on the "Alibaba Cloud" subnet,
 * an HTTPS site with a self-signed certificate, the ports the appliance must drop (UDP 443, TCP 853)
 * and control ports it lets through. Prints one JSON line per event on stdout: {"ready":true} once
 * everything listens, then {"got":{…}} for each request, connection or datagram received.
 * Usage: node --import tsx test/lab/internet-server.ts CONFIG.json
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer } from 'node:net';
import type { SecureContext } from 'node:tls';
import { loadOrCreateCa } from '../../appliance/src/sources/proxy/ca.js';
import { LeafCertificates } from '../../appliance/src/sources/proxy/leaf-certs.js';
import { NAMES } from './topology.js';

export interface InternetConfig {
  labCaDir: string;
  selfSigned: { cert: string; key: string };
  news: string;
  telemetry: string;
  untrusted: string;
  control: { tcp: number; udp: number };
}

/** One thing the internet received; `from` is the sender's address as the internet sees it. */
export interface InternetEvent {
  site: string;
  port: number;
  from: string;
  method?: string;
  url?: string;
  httpVersion?: string;
  body?: string;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as InternetConfig;
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const got = (event: InternetEvent) => say({ got: event });

function handler(site: string, port: number) {
  return (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got({ site, port, from: req.socket.remoteAddress ?? '', method: req.method, url: req.url, httpVersion: req.httpVersion, body: Buffer.concat(chunks).toString() });
      const html = site === 'news';
      res.writeHead(200, { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json' });
      // /tracked/… pages carry a third-party tracker on the telemetry host, as news sites carry Baidu Tongji.
      const tracker = html && req.url?.startsWith('/tracked/') ? `<script async src="https://${NAMES.telemetry}/hm.js?page=${encodeURIComponent(req.url)}"></script><img alt="" src="https://${NAMES.telemetry}/hm.gif?u=${encodeURIComponent(req.url)}">` : '';
      res.end(html ? `<html><body><h1>lab news</h1><p>${req.url}</p>${tracker}</body></html>` : '{"code":0}');
    });
  };
}

const leaves = new LeafCertificates(await loadOrCreateCa(config.labCaDir));
const fromLabCa = (name: string, cb: (e: Error | null, ctx?: SecureContext) => void) => {
  leaves.contextFor(name || 'localhost').then((ctx) => cb(null, ctx), (e: Error) => cb(e));
};

const listening: Promise<void>[] = [];
const listen = (server: { listen(port: number, host: string, cb: () => void): unknown }, port: number, host: string) =>
  listening.push(new Promise<void>((resolve) => server.listen(port, host, () => resolve())));

for (const [site, ip] of [['news', config.news], ['telemetry', config.telemetry]] as const) {
  listen(createHttpServer(handler(site, 80)), 80, ip);
  // HTTP/2 with HTTP/1.1 for clients that do not offer h2 in ALPN.
  listen(createSecureServer({ allowHTTP1: true, SNICallback: fromLabCa }, handler(site, 443)), 443, ip);
}
const selfSigned = { cert: readFileSync(config.selfSigned.cert), key: readFileSync(config.selfSigned.key) };
listen(createSecureServer({ allowHTTP1: true, ...selfSigned }, handler('untrusted', 443)), 443, config.untrusted);
listen(createHttpServer(handler('control', config.control.tcp)), config.control.tcp, config.news);
listen(createNetServer((s) => {
  got({ site: 'dot', port: 853, from: s.remoteAddress ?? '' });
  s.destroy();
}), 853, config.news);
for (const [site, port] of [['quic', 443], ['control-udp', config.control.udp]] as const) {
  const udp = createSocket('udp4');
  udp.on('message', (_msg, from) => got({ site, port, from: from.address }));
  listening.push(new Promise<void>((resolve) => udp.bind(port, config.news, () => resolve())));
}
await Promise.all(listening);
say({ ready: true });
