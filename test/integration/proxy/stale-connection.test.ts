/**
 * A pooled upstream connection that the server closed while it sat idle fails the next request
 * sent on it before any answer. The phone must not get a 502 for that: the proxy sends the request
 * once more on a fresh connection — and only then: never for a fresh connection, never after an
 * answer began, never when the body is too large to have been kept.
 */
import { request } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedClients } from '../../../appliance/src/sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import { InterceptingProxy } from '../../../appliance/src/sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';
import type { Flow } from '../../../appliance/src/model/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-stale-'));

interface Seen {
  connection: number;
  /** 1 for the first request on its connection. */
  nth: number;
  path: string;
  body: string;
}

/**
 * An upstream that keeps connections alive and answers `ok <path>`, except: a second request on a
 * connection to a path starting /stale is met by closing the connection (as if the server had
 * dropped it while idle, just as the request arrived); /hangup closes even a fresh connection;
 * /cut sends a head and part of the body, then closes.
 */
class Upstream {
  readonly seen: Seen[] = [];
  connections = 0;
  private readonly server: Server = createServer((socket) => this.serve(socket, ++this.connections));
  port = 0;

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  close(): void {
    this.server.close();
  }

  private serve(socket: Socket, connection: number): void {
    let buffered = Buffer.alloc(0);
    let nth = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffered.subarray(0, headEnd).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) {
          if (nth >= 1 && head.includes(' /stale')) return void socket.resetAndDestroy();
          return;
        }
        const path = head.split(' ')[1]!;
        const body = buffered.subarray(headEnd + 4, headEnd + 4 + length).toString();
        buffered = buffered.subarray(headEnd + 4 + length);
        nth++;
        this.seen.push({ connection, nth, path, body });
        if ((nth > 1 && path.startsWith('/stale')) || path.startsWith('/hangup')) return void socket.resetAndDestroy();
        if (path.startsWith('/cut')) {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b');
          return void socket.resetAndDestroy();
        }
        const answer = `ok ${path} ${body.length}`;
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${answer.length}\r\nconnection: keep-alive\r\n\r\n${answer}`);
      }
    });
    socket.on('error', () => undefined);
  }
}

let proxy: InterceptingProxy;
let proxyPort: number;
const flows: Flow[] = [];

beforeAll(async () => {
  const ca = await loadOrCreateCa(dir);
  proxy = new InterceptingProxy({ host: '127.0.0.1', port: 0, leaves: new LeafCertificates(ca), allowed: new AllowedClients(['127.0.0.0/8']), maxInspectBytes: 64 * 1024 });
  proxy.on('flow', (f) => flows.push(f));
  proxyPort = (await proxy.listen()).port;
});
afterAll(async () => {
  await proxy.close(1000);
  rmSync(dir, { recursive: true, force: true });
});

/** The phone: one request through the explicit proxy on its own connection. */
function send(upstream: Upstream, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, method: body === undefined ? 'GET' : 'POST', path: `http://127.0.0.1:${upstream.port}${path}`, agent: false,
      headers: body === undefined ? {} : { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, text: res.complete ? text : `${text}<cut>` }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function withUpstream(run: (u: Upstream) => Promise<void>): Promise<void> {
  const upstream = new Upstream();
  await upstream.listen();
  try {
    await run(upstream);
  } finally {
    upstream.close();
  }
}

describe('a pooled upstream connection closed while idle', () => {
  it('a GET sent on it goes once more on a fresh connection and the phone gets the answer', () =>
    withUpstream(async (upstream) => {
      expect(await send(upstream, '/stale/first')).toEqual({ status: 200, text: 'ok /stale/first 0' });
      expect(await send(upstream, '/stale/second')).toEqual({ status: 200, text: 'ok /stale/second 0' });
      expect(upstream.seen.map((s) => [s.connection, s.nth, s.path])).toEqual([[1, 1, '/stale/first'], [1, 2, '/stale/second'], [2, 1, '/stale/second']]);
      expect(flows.filter((f) => f.url.includes('/stale/second')).map((f) => f.response?.status)).toEqual([200]);
    }));

  it('a POST whose body was kept is replayed whole', () =>
    withUpstream(async (upstream) => {
      await send(upstream, '/stale/warm-up');
      const body = 'q=canary words'.repeat(100);
      expect(await send(upstream, '/stale/post', body)).toEqual({ status: 200, text: `ok /stale/post ${body.length}` });
      expect(upstream.seen.filter((s) => s.path === '/stale/post').map((s) => [s.connection, s.nth, s.body.length])).toEqual([[1, 2, body.length], [2, 1, body.length]]);
    }));

  it('a body over the replay limit is not retried: the phone gets the 502 and the server saw one attempt', () =>
    withUpstream(async (upstream) => {
      await send(upstream, '/stale/warm-up');
      const answer = await send(upstream, '/stale/big', 'x'.repeat(200 * 1024));
      expect(answer.status).toBe(502);
      expect(answer.text).toMatch(/^leakwatch: could not reach 127\.0\.0\.1:\d+: ECONNRESET/);
      expect(upstream.connections).toBe(1);
    }));
});

describe('never retried', () => {
  it('a fresh connection that hangs up: one attempt, a 502 that says why', () =>
    withUpstream(async (upstream) => {
      const answer = await send(upstream, '/hangup');
      expect(answer.status).toBe(502);
      expect(answer.text).toMatch(/could not reach 127\.0\.0\.1:\d+: ECONNRESET/);
      expect(upstream.seen.map((s) => s.path)).toEqual(['/hangup']);
      expect(upstream.connections).toBe(1);
    }));

  it('an answer that began and was cut, on a reused connection: not sent again', () =>
    withUpstream(async (upstream) => {
      await send(upstream, '/warm-up');
      const answer = await send(upstream, '/cut');
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('only ten b<cut>');
      expect(upstream.seen.map((s) => [s.connection, s.path])).toEqual([[1, '/warm-up'], [1, '/cut']]);
    }));
});
