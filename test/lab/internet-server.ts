/**
 * The lab's "internet": run inside the internet namespace. Serves a news site (HTTP, HTTPS with
 * HTTP/2) and a Sensors-Analytics-like telemetry endpoint with certificates from the lab CA, an
 * HTTPS site whose certificate nobody trusts, and listeners for the ports the appliance must drop.
 * Prints one JSON line per event on stdout: {"ready":true} once listening, then {"got":…}.
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

export interface InternetConfig {
  labCaDir: string;
  strangerCaDir: string;
  news: string;
  telemetry: string;
  untrusted: string;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as InternetConfig;
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

function handler(site: string) {
  return (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      say({ got: { site, method: req.method, url: req.url, httpVersion: req.httpVersion, bytes: Buffer.concat(chunks).length } });
      const html = site === 'news';
      res.writeHead(200, { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json' });
      res.end(html ? `<html><body><h1>lab news</h1><p>${req.url}</p></body></html>` : '{"code":0}');
    });
  };
}

const lab = new LeafCertificates(await loadOrCreateCa(config.labCaDir));
const stranger = new LeafCertificates(await loadOrCreateCa(config.strangerCaDir));
const sni = (leaves: LeafCertificates) => (name: string, cb: (e: Error | null, ctx?: SecureContext) => void) => {
  leaves.contextFor(name || 'localhost').then((ctx) => cb(null, ctx), (e: Error) => cb(e));
};

const listening: Promise<void>[] = [];
const listen = (server: { listen(port: number, host: string, cb: () => void): unknown }, port: number, host: string) =>
  listening.push(new Promise<void>((resolve) => server.listen(port, host, () => resolve())));

for (const [site, ip] of [['news', config.news], ['telemetry', config.telemetry]] as const) {
  listen(createHttpServer(handler(site)), 80, ip);
  listen(createSecureServer({ allowHTTP1: true, SNICallback: sni(lab) }, handler(site)), 443, ip);
}
listen(createSecureServer({ allowHTTP1: true, SNICallback: sni(stranger) }, handler('untrusted')), 443, config.untrusted);
// A control port that the firewall lets through, and the ports it must drop.
listen(createHttpServer(handler('control')), 8081, config.news);
listen(createNetServer((s) => { say({ got: { site: 'tcp853' } }); s.destroy(); }), 853, config.news);
for (const port of [443, 4443]) {
  const udp = createSocket('udp4');
  udp.on('message', () => say({ got: { site: `udp${port}` } }));
  listening.push(new Promise<void>((resolve) => udp.bind(port, config.news, () => resolve())));
}
await Promise.all(listening);
say({ ready: true });
