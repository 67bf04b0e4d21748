/**
 * One device on the hotspot must not exhaust the appliance: it may hold only so many connections,
 * and a connection that never finishes its first request is closed after a short deadline. Normal
 * browsing is unaffected: a connection that completed a request may stay idle as long as it likes,
 * and so may a connection relayed untouched for a pinned app.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedClients } from '../../../appliance/src/sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import type { CertificateAuthority } from '../../../appliance/src/sources/proxy/ca.js';
import { InterceptingProxy } from '../../../appliance/src/sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-limits-'));
const LIMITS = { maxPerClient: 20, firstRequestMs: 400 };
let proxy: InterceptingProxy;
let proxyPort: number;
let site: Server;
let sitePort: number;
let pinnedSite: Server;
let pinnedPort: number;
let siteCa: CertificateAuthority;
const problems: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const ca = await loadOrCreateCa(join(dir, 'appliance'));
  siteCa = await loadOrCreateCa(join(dir, 'site'));
  site = createServer((req, res) => req.resume().on('end', () => res.end(`ok ${req.url}`)));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  sitePort = (site.address() as AddressInfo).port;
  pinnedSite = createHttpsServer(await new LeafCertificates(siteCa).credentialsFor('localhost'), (req, res) => res.end(`pinned ${req.url}`));
  await new Promise<void>((r) => pinnedSite.listen(0, '127.0.0.1', () => r()));
  pinnedPort = (pinnedSite.address() as AddressInfo).port;
  proxy = new InterceptingProxy({
    host: '127.0.0.1', port: 0, leaves: new LeafCertificates(ca), allowed: new AllowedClients(['127.0.0.0/8']), maxInspectBytes: 1024,
    upstreamCa: siteCa.certificatePem, clientLimits: LIMITS,
  });
  proxy.on('problem', (p) => problems.push(p));
  proxyPort = (await proxy.listen()).port;
});

afterAll(async () => {
  await proxy.close(100);
  site.close();
  pinnedSite.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A connection to the proxy; resolves once connected, records when the proxy closed it. */
async function open(): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = netConnect(proxyPort, '127.0.0.1');
  let closed = false;
  socket.on('close', () => (closed = true)).on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  return { socket, closed: () => closed };
}

/** One request on an open connection, waiting for the whole answer. */
function ask(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (c: Buffer) => {
      text += String(c);
      if (/\r\n\r\nok \S+$/.test(text)) {
        socket.off('data', onData);
        resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
      }
    };
    socket.on('data', onData);
    socket.write(`GET http://127.0.0.1:${sitePort}${path} HTTP/1.1\r\nHost: 127.0.0.1:${sitePort}\r\n\r\n`);
  });
}

describe('per-client limits', () => {
  it('closes connections that send half a request once the first-request deadline passes, and refuses connections over the cap', async () => {
    const halfSent = await Promise.all(Array.from({ length: LIMITS.maxPerClient }, () => open()));
    for (const { socket } of halfSent) socket.write(`GET http://127.0.0.1:${sitePort}/never HTTP/1.1\r\nHost: 127.0.0.1`);
    const over = await Promise.all(Array.from({ length: 5 }, () => open()));
    await sleep(100);
    expect(over.map((c) => c.closed())).toEqual([true, true, true, true, true]);
    expect(halfSent.every((c) => !c.closed())).toBe(true);
    expect(problems).toEqual([`refusing new connections from 127.0.0.1: it holds ${LIMITS.maxPerClient} open, the most one client may (proxy.maxConnectionsPerClient)`]);

    await sleep(LIMITS.firstRequestMs + 200);
    expect(halfSent.every((c) => c.closed())).toBe(true);
    // Room again, and said only once for the five refused.
    const next = await open();
    expect(await ask(next.socket, '/after')).toBe('ok /after');
    next.socket.destroy();
    expect(problems).toHaveLength(1);
  });

  it('leaves a connection that completed a request open while it idles past the deadline, and it still works', async () => {
    const browsing = await open();
    expect(await ask(browsing.socket, '/first')).toBe('ok /first');
    await sleep(LIMITS.firstRequestMs * 2);
    expect(browsing.closed()).toBe(false);
    expect(await ask(browsing.socket, '/second')).toBe('ok /second');
    browsing.socket.destroy();
  });

  it('closes a CONNECT tunnel that never starts its TLS or its request', async () => {
    const tunnel = await open();
    tunnel.socket.write(`CONNECT localhost:${pinnedPort} HTTP/1.1\r\nHost: localhost:${pinnedPort}\r\n\r\n`);
    await new Promise((r) => tunnel.socket.once('data', r));
    await sleep(LIMITS.firstRequestMs + 200);
    expect(tunnel.closed()).toBe(true);
  });

  it('leaves a pinned app\'s relayed connection open past the deadline: passthrough is not timed', async () => {
    const pinnedTry = () => new Promise<{ ok: boolean; socket?: ReturnType<typeof tlsConnect> }>((resolve) => {
      const raw = netConnect(proxyPort, '127.0.0.1');
      raw.on('error', () => undefined);
      raw.write(`CONNECT localhost:${pinnedPort} HTTP/1.1\r\nHost: localhost:${pinnedPort}\r\n\r\n`);
      raw.once('data', () => {
        // Trusts only the site's own CA, as a pinned app does: our certificate is refused.
        const tls = tlsConnect({ socket: raw, servername: 'localhost', ca: siteCa.certificatePem });
        tls.once('secureConnect', () => resolve({ ok: true, socket: tls }));
        tls.once('error', () => {
          raw.destroy();
          resolve({ ok: false });
        });
      });
    });
    // Node's client hangs up without an alert: three such refusals (from a client that takes none
    // of our certificates) are the pattern of pinning.
    for (let i = 0; i < 3; i++) {
      expect((await pinnedTry()).ok).toBe(false);
      await sleep(100);
    }
    const relayed = await pinnedTry();
    expect(relayed.ok).toBe(true);
    await sleep(LIMITS.firstRequestMs * 2);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      relayed.socket!.on('data', (c: Buffer) => {
        text += String(c);
        if (text.includes('pinned /still-here')) resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
      });
      relayed.socket!.write('GET /still-here HTTP/1.1\r\nHost: localhost\r\n\r\n');
    });
    expect(answer).toBe('pinned /still-here');
    relayed.socket!.destroy();
  });
});
