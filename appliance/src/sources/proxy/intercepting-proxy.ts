import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { Flow } from '../../model/index.js';
import { isApplianceName, isSelfTest } from '../../model/index.js';
import type { AllowedClients } from './allowed-clients.js';
import type { Target } from './flow-recorder.js';
import { FlowRecorder } from './flow-recorder.js';
import { ClientConnections } from './client-connections.js';
import type { ClientLimits } from './client-connections.js';
import { forwardRequest } from './forwarder.js';
import { LocalAddresses } from '../../system/local-addresses.js';
import { targetWithHost } from './host-header.js';
import type { LeafCertificates } from './leaf-certs.js';
import { readOpeningBytes } from './opening-bytes.js';
import { originalDestination } from './original-destination.js';
import type { ProxyEvents } from './proxy-events.js';
import { answerSelfTest } from './self-test-answer.js';
import { deviceOf, listenOn } from './sockets.js';
import { TlsInterceptor } from './tls-interceptor.js';
import { DEFAULT_PINNING_POLICY } from './passthrough.js';
import type { Passthrough } from './passthrough.js';
import { relayUpgrade } from './upgrade-relay.js';

export type { ProxyEvents } from './proxy-events.js';

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
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
  /** How long a client's first passthrough of a host lasts (each later one twice as long, up to a day). */
  passthroughMinutes?: number;
  /** How long after a request to wait for its response head before inspecting it without one. */
  responseWaitMs?: number;
  /**
   * The appliance's own page (its API's address): requests for the appliance's names (canary
   * pages on leakwatch.internal) go there, which explicit-proxy clients cannot resolve themselves.
   */
  appliancePage?: { host: string; port: number };
  /** Per-client limits: connections held, and the deadline for a connection's first request. */
  clientLimits?: ClientLimits;
}

/** A phone holds tens of connections, a busy one a few hundred; a first request head takes well under a second. */
export const DEFAULT_CLIENT_LIMITS: ClientLimits = { maxPerClient: 512, firstRequestMs: 20_000 };

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
  /** Serves HTTP/1.1 on tunnelled, redirected and SNI-less decrypted connections; never listens itself. */
  private readonly inner: Server;
  private readonly tls: TlsInterceptor;
  /** Tunnelled and redirected connections, which no HTTP server tracks: closed with the proxy. */
  private readonly live = new Set<Socket>();
  private readonly httpsAgent: HttpsAgent;
  private readonly upstreamCas: string[];
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly own = new LocalAddresses();
  private readonly clients: ClientConnections;
  private readonly targets = new WeakMap<Socket, Target>();
  private toldNoOriginalDestination = false;
  /** Flow ids are `proxy:<run>:<n>`: the store keeps flows across restarts, so `n` alone would repeat. */
  private readonly run = Date.now().toString(36);
  private next = 0;
  /** Requests forwarded and not yet answered in full: what a graceful close waits for. */
  private inFlight = 0;
  private onIdle: (() => void) | undefined;

  constructor(private readonly options: ProxyOptions) {
    super();
    this.clients = new ClientConnections(options.clientLimits ?? DEFAULT_CLIENT_LIMITS, (message) => this.emit('problem', message));
    this.upstreamCas = options.upstreamCa ? [...rootCertificates, options.upstreamCa] : [...rootCertificates];
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: this.upstreamCas });
    this.outer = createServer((req, res) => this.plainHttp(req, res));
    this.inner = createServer((req, res) => this.tunnelled(req, res));
    this.tls = new TlsInterceptor(options.leaves, { ...DEFAULT_PINNING_POLICY, firstMs: (options.passthroughMinutes ?? 30) * 60_000 }, this, {
      request: (req, res, target) => this.forward(req, res, target),
      upgrade: (req, socket, head, target) => this.upgrade(req, socket, head, target),
      serveHttp1: (socket, target) => this.serveInner(socket, target),
      relayed: (socket) => this.clients.settled(socket),
    });
    // A passed-through connection is a flow too: nothing of its content, but who it went to, when,
    // and the client's fingerprint, so the record of what a phone did has no gaps.
    this.on('passthrough', ({ device, host, port, ja4 }) => {
      const id = `proxy:${this.run}:${this.next++}`;
      this.emitFlow(id, () => passthroughFlow(id, device, host, port, ja4));
    });
    this.outer.on('connection', (socket) => this.admit(socket));
    this.outer.on('connect', (req, socket, head) => this.connect(req, socket as Socket, head));
    // WebSocket: absolute-form through the explicit proxy, and inside tunnels and redirects.
    this.outer.on('upgrade', (req, socket, head) => {
      const url = safeUrl(req.url ?? '');
      if (url) this.upgrade(req, socket as Socket, head, { scheme: 'http', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 80 });
      else socket.destroy();
    });
    this.inner.on('upgrade', (req, socket, head) => {
      const target = targetWithHost(this.targets.get(req.socket as Socket), req.headers.host);
      if (target) this.upgrade(req, socket as Socket, head, target);
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

  /** The clients and hosts whose connections pass through untouched now, and why. */
  passthroughs(now = Date.now()): Passthrough[] {
    return this.tls.passthroughs(now);
  }

  /** Where the transparent-mode listeners are (HTTP, then HTTPS), once listening; empty in explicit mode. */
  transparentAddresses(): AddressInfo[] {
    return this.redirected.map((server) => server.address() as AddressInfo);
  }

  /**
   * Stops accepting at once; requests already in flight get up to `graceMs` to finish (their flows
   * are emitted before this resolves), then every connection still open is cut.
   */
  async close(graceMs = 0): Promise<void> {
    const stopped = Promise.all([this.outer, ...this.redirected].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.outer.closeIdleConnections();
    await this.requestsDone(graceMs);
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
    this.outer.closeAllConnections();
    this.inner.closeAllConnections();
    for (const socket of this.live) socket.destroy();
    await stopped;
  }

  /** Resolves when no request is in flight (after the flows they recorded were emitted), or after `ms`. */
  private requestsDone(ms: number): Promise<void> {
    if (this.inFlight === 0 || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        // Flows are emitted on setImmediate after their response closed: let those go out first.
        setImmediate(resolve);
      }
      this.onIdle = finish;
    });
  }

  /** A connection nftables redirected here: the destination comes from the socket, the name from SNI or Host. */
  private redirectedConnection(socket: Socket, scheme: 'http' | 'https'): void {
    this.admit(socket);
    if (socket.destroyed) return;
    this.track(socket);
    socket.on('error', () => socket.destroy());
    const original = originalDestination(socket);
    if (!original && !this.toldNoOriginalDestination) {
      // Said once: without the redirect (or without koffi) every connection would repeat it.
      this.toldNoOriginalDestination = true;
      this.emit('problem', `no original destination on redirected connections (not redirected by nftables, or SO_ORIGINAL_DST unreadable); using SNI and Host names instead`);
    }
    const target: Target = { scheme, host: '', port: original?.port ?? (scheme === 'https' ? 443 : 80), ...(original ? { connectTo: original.ip } : {}) };
    if (scheme === 'http') {
      this.serveInner(socket, target);
      return;
    }
    void readOpeningBytes(socket).then((opening) => {
      if (opening?.[0] === 0x16) this.tls.accept(socket, opening, target);
      else socket.destroy();
    });
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => this.live.delete(socket));
  }

  /** Never an open proxy: only hotspot (or loopback) clients get in. */
  private admit(socket: Socket): void {
    if (!this.options.allowed.allows(socket.remoteAddress)) {
      this.emit('refused', socket.remoteAddress ?? 'unknown');
      socket.destroy();
      return;
    }
    this.clients.admit(socket);
  }

  private plainHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = safeUrl(req.url ?? '');
    if (!url) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('leakwatch: this is a proxy; send absolute-form requests (http://host/path) or CONNECT\n');
      return;
    }
    this.forward(req, res, { scheme: 'http', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 80 });
  }

  /** A WebSocket (or other) upgrade: recorded as a request, then relayed byte for byte. */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: Target): void {
    this.clients.settled(socket);
    const recorder = new FlowRecorder(req, target, this.options.maxInspectBytes);
    const id = `proxy:${this.run}:${this.next++}`;
    // Handed on once the server answered (status and address known), failed, or kept silent too long.
    let emitted = false;
    const emit = () => {
      if (emitted) return;
      emitted = true;
      clearTimeout(silent);
      this.emitFlow(id, () => recorder.flow(id));
    };
    const silent = setTimeout(emit, this.options.responseWaitMs ?? 10_000).unref();
    relayUpgrade(req, socket, head, target, this.upstreamCas, (message) => {
      this.emit('problem', message);
      emit();
    }, (status, serverIp) => {
      recorder.upgradeAnswer(status, serverIp);
      emit();
    });
  }

  private tunnelled(req: IncomingMessage, res: ServerResponse): void {
    // Plain HTTP redirected here names its host only in the Host header.
    const target = targetWithHost(this.targets.get(req.socket as Socket), req.headers.host);
    if (!target) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('leakwatch: cannot tell where this request was going\n');
      return;
    }
    this.forward(req, res, target);
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
    // The CONNECT was a request; the tunnel's own first request (or TLS relay) has its deadline too.
    this.clients.awaitRequest(socket);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    void readOpeningBytes(socket, head).then((opening) => {
      if (!opening) socket.destroy();
      else if (opening[0] === 0x16) {
        // Node's HTTP server keeps its sockets half-open; a TLS client that hangs up (after its
        // alert, or without one) is gone, and must be noticed now, not at a deadline.
        socket.allowHalfOpen = false;
        this.tls.accept(socket, opening, { scheme: 'https', host, port });
      }
      else this.serveInner(socket, { scheme: 'http', host, port });
    });
  }

  private serveInner(socket: Socket, target: Target): void {
    this.targets.set(socket, target);
    this.inner.emit('connection', socket);
    socket.resume();
  }

  private forward(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, target: Target): void {
    this.clients.settled(req.socket);
    if (isSelfTest(target.host, target.connectTo)) {
      this.emit('self-test', answerSelfTest(req, res, target, deviceOf(req.socket as Socket)));
      return;
    }
    const page = this.options.appliancePage;
    if (page && isApplianceName(target.host)) {
      // The appliance's own page is not browsing to record here: it records its canary visits itself.
      forwardRequest(req, res, { scheme: 'http', host: target.host, port: page.port, connectTo: page.host }, { agent: this.httpAgent, maxInspectBytes: 0, responseWaitMs: 0, recorded: () => undefined });
      return;
    }
    if (this.own.has(target.connectTo ?? target.host)) {
      // A phone reaching the appliance itself by address (its page or API on any port, through the
      // explicit proxy): passed on, never recorded — the admin login carries the password.
      forwardRequest(req, res, target, { agent: target.scheme === 'https' ? this.httpsAgent : this.httpAgent, maxInspectBytes: 0, responseWaitMs: 0, recorded: () => undefined });
      return;
    }
    const id = `proxy:${this.run}:${this.next++}`;
    forwardRequest(req, res, target, {
      agent: target.scheme === 'https' ? this.httpsAgent : this.httpAgent,
      maxInspectBytes: this.options.maxInspectBytes,
      responseWaitMs: this.options.responseWaitMs ?? 10_000,
      // Off the hot path: the response is already flowing to the phone.
      recorded: (recorder) => setImmediate(() => this.emitFlow(id, () => recorder.flow(id))),
    });
    // Counted after forwardRequest's own 'close' listener, which records the flow: so the flow's
    // emission is queued before a graceful close hears that the last request is done.
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0) this.onIdle?.();
    });
  }

  /** Hands a flow to the listeners; an inspection error is reported, never thrown into a connection. */
  private emitFlow(id: string, build: () => Flow): void {
    if (this.listenerCount('flow') === 0) return;
    try {
      this.emit('flow', build());
    } catch (error) {
      this.emit('problem', `inspecting ${id}: ${(error as Error).message}`);
    }
  }
}

/** The flow of a TLS connection relayed untouched: a CONNECT to the host, with no request inside. */
function passthroughFlow(id: string, device: string, host: string, port: number, ja4: string | undefined): Flow {
  return {
    id, device, time: Date.now(), method: 'CONNECT', url: `https://${host.includes(':') ? `[${host}]` : host}${port === 443 ? '' : `:${port}`}/`,
    headers: [], body: new Uint8Array(), destination: { host, port }, source: 'proxy', initiator: {},
    tls: { decryption: 'passthrough', ...(ja4 ? { ja4 } : {}) },
  };
}
