import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { createSecureServer as createSecureHttp2Server } from 'node:http2';
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { connect as connectTcp, createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { rootCertificates, TLSSocket } from 'node:tls';
import type { Flow } from '../../model/index.js';
import type { AllowedClients } from './allowed-clients.js';
import type { Target } from './flow-recorder.js';
import { FlowRecorder } from './flow-recorder.js';
import { forwardRequest } from './forwarder.js';
import type { LeafCertificates } from './leaf-certs.js';
import { originalDestination } from './original-destination.js';
import { parseClientHello } from './client-hello.js';
import { readOpeningBytes } from './opening-bytes.js';
import { relayUpgrade } from './upgrade-relay.js';
import { PassthroughRegistry } from './passthrough.js';
import { classifyTlsFailure, meansPinned } from './tls-failure.js';
import type { TlsFailureCause } from './tls-failure.js';

interface Handshake {
  secured: boolean;
  error?: NodeJS.ErrnoException;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function connectionKey(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}

function deviceOf(socket: Socket): string {
  return (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/** Relays a connection untouched to where it was going (its buffered first bytes included). */
function relay(socket: Socket, host: string, port: number, problem: (message: string) => void): void {
  const upstream = connectTcp(port, host);
  upstream.on('error', (error) => {
    problem(`passthrough to ${host}:${port}: ${error.message}`);
    socket.destroy();
  });
  socket.on('error', () => upstream.destroy());
  upstream.on('connect', () => {
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.resume();
  });
}

function listenOn(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

export interface ProxyOptions {
  host: string;
  /** Explicit-mode port (HTTP proxy with CONNECT). */
  port: number;
  /** Transparent mode: where nftables redirects the hotspot's TCP 80 and 443. */
  transparent?: { host: string; httpPort: number; httpsPort: number };
  leaves: LeafCertificates;
  allowed: AllowedClients;
  /** Request body bytes copied for inspection; the rest streams through uncopied. */
  maxInspectBytes: number;
  /** Extra CA (PEM) trusted for upstream servers, besides the system roots. */
  upstreamCa?: string;
  /** How long a host a device refused to let us intercept is passed through untouched. */
  passthroughMinutes?: number;
}

export interface ProxyEvents {
  flow: [Flow];
  /** A connection from an address outside `allowedClients` was closed. */
  refused: [string];
  /** Something went wrong on one connection; the proxy carries on. */
  problem: [string];
  /** A client's TLS handshake with us failed (a pinned app, or our CA not installed). */
  'tls-failure': [{ device: string; host: string; cause: TlsFailureCause }];
  /** A connection relayed untouched because the device refused our certificate before. */
  passthrough: [{ device: string; host: string; port: number }];
}


/**
 * The intercepting proxy. Explicit mode: plain HTTP in absolute form, and CONNECT tunnels whose TLS
 * it terminates with a leaf from the appliance CA. Transparent mode: connections nftables
 * redirected, their destination read from the socket (SO_ORIGINAL_DST), the name from SNI or Host.
 * It forwards first and hands a copy to `flow` listeners after the response head is on its way,
 * so inspection never delays or breaks the phone's traffic.
 */
export class InterceptingProxy extends EventEmitter<ProxyEvents> {
  private readonly outer: Server;
  private readonly redirected: NetServer[] = [];
  private readonly inner: Server;
  /** Terminates intercepted TLS and serves HTTP/2 and HTTP/1.1 behind it; never listens itself. */
  private readonly inner2: Http2SecureServer;
  /** Targets of terminated TLS connections, by client address and port (the TLS socket wraps the raw one). */
  private readonly tlsTargets = new Map<string, Target>();
  private readonly handshakes = new Map<string, Handshake>();
  /** Tunnelled and redirected connections, which no HTTP server tracks: closed with the proxy. */
  private readonly live = new Set<Socket>();
  private readonly httpsAgent: HttpsAgent;
  private readonly upstreamCas: string[];
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly targets = new WeakMap<Socket, Target>();
  private readonly pinned: PassthroughRegistry;
  private next = 0;

  constructor(private readonly options: ProxyOptions) {
    super();
    this.pinned = new PassthroughRegistry((options.passthroughMinutes ?? 30) * 60_000);
    this.upstreamCas = options.upstreamCa ? [...rootCertificates, options.upstreamCa] : [...rootCertificates];
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: this.upstreamCas });
    this.outer = createServer((req, res) => this.plainHttp(req, res));
    this.inner = createServer((req, res) => this.tunnelled(req, res));
    this.inner2 = createSecureHttp2Server({
      allowHTTP1: true,
      ALPNProtocols: ['h2', 'http/1.1'],
      SNICallback: (servername, callback) => {
        this.options.leaves.contextFor(servername || 'localhost').then((ctx) => callback(null, ctx), (error: Error) => callback(error));
      },
    });
    this.inner2.prependListener('secureConnection', (tlsSocket) => {
      const state = this.handshakes.get(connectionKey(tlsSocket));
      if (state) state.secured = true;
    });
    this.inner2.on('tlsClientError', (error, tlsSocket) => {
      const state = this.handshakes.get(connectionKey(tlsSocket));
      if (state) state.error = error;
    });
    this.inner2.on('session', (session) => session.on('error', () => session.destroy()));
    this.inner2.on('request', (req, res) => {
      const target = this.tlsTargets.get(connectionKey(req.socket as Socket));
      const host = target?.host || String(req.headers[':authority'] ?? req.headers.host ?? '').replace(/:\d+$/, '');
      if (target && host) this.forward(req, res, { ...target, host });
      else res.writeHead(502).end('leakwatch: cannot tell where this request was going\n');
    });
    this.outer.on('connection', (socket) => this.admit(socket));
    this.outer.on('connect', (req, socket, head) => this.connect(req, socket as Socket, head));
    // WebSocket: absolute-form through the explicit proxy, and inside tunnels and redirects.
    this.outer.on('upgrade', (req, socket, head) => {
      const url = safeUrl(req.url ?? '');
      if (url) this.upgrade(req, socket as Socket, head, { scheme: 'http', host: url.hostname, port: Number(url.port) || 80 });
      else socket.destroy();
    });
    this.inner.on('upgrade', (req, socket, head) => {
      const target = this.targets.get(req.socket as Socket);
      const host = target?.host || (req.headers.host ?? '').replace(/:\d+$/, '');
      if (target && host) this.upgrade(req, socket as Socket, head, { ...target, host });
      else socket.destroy();
    });
    this.inner2.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const target = this.tlsTargets.get(connectionKey(socket));
      const host = target?.host || (req.headers.host ?? '').replace(/:\d+$/, '');
      if (target && host) this.upgrade(req, socket, head, { ...target, host });
      else socket.destroy();
    });
  }

  /** Starts listening; returns the explicit-mode address. */
  async listen(): Promise<AddressInfo> {
    await listenOn(this.outer, this.options.port, this.options.host);
    const t = this.options.transparent;
    if (t) {
      for (const [port, scheme] of [[t.httpPort, 'http'], [t.httpsPort, 'https']] as const) {
        const server = createNetServer((socket) => this.redirectedConnection(socket, scheme));
        this.redirected.push(server);
        await listenOn(server, port, t.host);
      }
    }
    return this.outer.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
    this.outer.closeAllConnections();
    this.inner.closeAllConnections();
    for (const socket of this.live) socket.destroy();
    await Promise.all([this.outer, ...this.redirected].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /** A connection nftables redirected here: the destination comes from the socket, the name from SNI or Host. */
  private redirectedConnection(socket: Socket, scheme: 'http' | 'https'): void {
    this.admit(socket);
    if (socket.destroyed) return;
    this.track(socket);
    socket.on('error', () => socket.destroy());
    const original = originalDestination(socket);
    if (!original) this.emit('problem', `no original destination on a redirected ${scheme} connection; using ${scheme === 'https' ? 'SNI' : 'Host'} only`);
    const target: Target = { scheme, host: '', port: original?.port ?? (scheme === 'https' ? 443 : 80), ...(original ? { connectTo: original.ip } : {}) };
    if (scheme === 'http') {
      this.serveInner(socket, target);
      return;
    }
    void readOpeningBytes(socket).then((opening) => {
      if (opening?.[0] === 0x16) this.tls(socket, opening, target);
      else socket.destroy();
    });
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => this.live.delete(socket));
  }

  /** Never an open proxy: only hotspot (or loopback) clients get in. */
  private admit(socket: Socket): void {
    if (this.options.allowed.allows(socket.remoteAddress)) return;
    this.emit('refused', socket.remoteAddress ?? 'unknown');
    socket.destroy();
  }

  private plainHttp(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('leakwatch: this is a proxy; send absolute-form requests (http://host/path) or CONNECT\n');
      return;
    }
    this.forward(req, res, { scheme: 'http', host: url.hostname, port: Number(url.port) || 80 });
  }

  /** A WebSocket (or other) upgrade: recorded as a request, then relayed byte for byte. */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: Target): void {
    const recorder = new FlowRecorder(req, target, this.options.maxInspectBytes);
    const id = `proxy:${this.next++}`;
    setImmediate(() => this.emitFlow(id, () => recorder.flow(id)));
    relayUpgrade(req, socket, head, target, this.upstreamCas, (message) => this.emit('problem', message));
  }

  private tunnelled(req: IncomingMessage, res: ServerResponse): void {
    const target = this.targets.get(req.socket as Socket);
    // Plain HTTP redirected here names its host only in the Host header.
    const host = target?.host || (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '') || target?.connectTo;
    if (!target || !host) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('leakwatch: cannot tell where this request was going\n');
      return;
    }
    this.forward(req, res, { ...target, host });
  }

  /** CONNECT host:port → answer 200, then serve what comes through: TLS (terminated here) or plain HTTP. */
  private connect(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const host = m[1]!;
    const port = Number(m[2]);
    this.track(socket);
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    void readOpeningBytes(socket, head).then((opening) => {
      if (!opening) socket.destroy();
      else if (opening[0] === 0x16) this.tls(socket, opening, { scheme: 'https', host, port });
      else this.serveInner(socket, { scheme: 'http', host, port });
    });
  }

  /** A TLS connection: relayed untouched when this device refused us for this host, else intercepted. */
  private tls(socket: Socket, first: Buffer, target: Target): void {
    const device = deviceOf(socket);
    const hello = parseClientHello(first);
    const host = hello?.sni || target.host || target.connectTo || '';
    if (host && this.pinned.has(device, host, Date.now())) {
      this.emit('passthrough', { device, host, port: target.port });
      relay(socket, target.connectTo ?? target.host, target.port, (message) => this.emit('problem', message));
      return;
    }
    this.terminateTls(socket, target, hello?.sni);
  }

  /**
   * Terminates the client's TLS with a leaf for the name it asked for. The TLS server here never
   * listens: it is handed the connection, does the handshake with ALPN (h2 or http/1.1), and serves
   * both protocols through one request handler, as Node's own HTTP/2 server does. A connection
   * that closes before its handshake completes is a client refusing our certificate.
   */
  private terminateTls(socket: Socket, target: Target, sni: string | undefined): void {
    if (!sni) return this.terminateTlsWithoutSni(socket, target);
    target.host = sni;
    const key = connectionKey(socket);
    const device = deviceOf(socket);
    const state: Handshake = { secured: false };
    this.tlsTargets.set(key, target);
    this.handshakes.set(key, state);
    socket.once('close', () => {
      this.tlsTargets.delete(key);
      this.handshakes.delete(key);
      if (!state.secured) this.handshakeFailed(device, target, state.error);
    });
    this.inner2.emit('connection', socket);
  }

  /**
   * Clients send no SNI for IP-address hosts (https://10.0.0.1/): the certificate is made for the
   * address itself, and HTTP/1.1 is served (HTTP/2 clients send SNI).
   */
  private terminateTlsWithoutSni(socket: Socket, target: Target): void {
    const device = deviceOf(socket);
    const name = target.host || target.connectTo || '';
    this.options.leaves.contextFor(name).then((secureContext) => {
      const tls = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
      let secured = false;
      tls.once('secure', () => (secured = true));
      tls.on('error', (error: NodeJS.ErrnoException) => {
        if (!secured) this.handshakeFailed(device, target, error);
        tls.destroy();
      });
      this.serveInner(tls, { ...target, host: name });
    }, (error: Error) => {
      this.emit('problem', `no certificate for ${name}: ${error.message}`);
      socket.destroy();
    });
  }

  private handshakeFailed(device: string, target: Target, error: NodeJS.ErrnoException | undefined): void {
    const host = target.host || target.connectTo || '';
    const cause = classifyTlsFailure(error);
    this.emit('tls-failure', { device, host, cause });
    // The client will not take our certificate: let it reach the real server next time.
    if (meansPinned(cause) && host) this.pinned.add(device, host, Date.now());
  }

  private serveInner(socket: Socket, target: Target): void {
    this.targets.set(socket, target);
    this.inner.emit('connection', socket);
    socket.resume();
  }

  private forward(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, target: Target): void {
    const id = `proxy:${this.next++}`;
    forwardRequest(req, res, target, {
      agent: target.scheme === 'https' ? this.httpsAgent : this.httpAgent,
      maxInspectBytes: this.options.maxInspectBytes,
      // Off the hot path: the response is already flowing to the phone.
      recorded: (recorder) => setImmediate(() => this.emitFlow(id, () => recorder.flow(id))),
    });
  }

  /** Hands a flow to the listeners; an inspection error is reported, never thrown into a connection. */
  private emitFlow(id: string, build: () => Flow): void {
    try {
      this.emit('flow', build());
    } catch (error) {
      this.emit('problem', `inspecting ${id}: ${(error as Error).message}`);
    }
  }

}
