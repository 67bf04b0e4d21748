import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rootCertificates, TLSSocket } from 'node:tls';
import type { Flow } from '../../model/index.js';
import type { AllowedClients } from './allowed-clients.js';
import type { Target } from './flow-recorder.js';
import { FlowRecorder, originForm } from './flow-recorder.js';
import type { LeafCertificates } from './leaf-certs.js';

export interface ExplicitProxyOptions {
  host: string;
  port: number;
  leaves: LeafCertificates;
  allowed: AllowedClients;
  /** Request body bytes copied for inspection; the rest streams through uncopied. */
  maxInspectBytes: number;
  /** Extra CA (PEM) trusted for upstream servers, besides the system roots. */
  upstreamCa?: string;
}

export interface ProxyEvents {
  flow: [Flow];
  /** A connection from an address outside `allowedClients` was closed. */
  refused: [string];
  /** Something went wrong on one connection; the proxy carries on. */
  problem: [string];
}

/** Hop-by-hop and proxy headers that must not travel upstream (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The explicit proxy: plain HTTP in absolute form, and CONNECT tunnels whose TLS it terminates with
 * a leaf from the appliance CA. It forwards first and hands a copy to `flow` listeners after the
 * response head is on its way, so inspection never delays or breaks the phone's traffic.
 */
export class ExplicitProxy extends EventEmitter<ProxyEvents> {
  private readonly outer: Server;
  private readonly inner: Server;
  private readonly httpsAgent: HttpsAgent;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly targets = new WeakMap<Socket, Target>();
  private next = 0;

  constructor(private readonly options: ExplicitProxyOptions) {
    super();
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: options.upstreamCa ? [...rootCertificates, options.upstreamCa] : [...rootCertificates] });
    this.outer = createServer((req, res) => this.plainHttp(req, res));
    this.inner = createServer((req, res) => this.tunnelled(req, res));
    this.outer.on('connection', (socket) => this.admit(socket));
    this.outer.on('connect', (req, socket, head) => this.connect(req, socket as Socket, head));
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.outer.once('error', reject);
      this.outer.listen(this.options.port, this.options.host, () => resolve());
    });
    return this.outer.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
    this.outer.closeAllConnections();
    this.inner.closeAllConnections();
    await new Promise<void>((resolve) => this.outer.close(() => resolve()));
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

  private tunnelled(req: IncomingMessage, res: ServerResponse): void {
    const target = this.targets.get(req.socket as Socket);
    if (!target) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('leakwatch: lost the tunnel target\n');
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
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const start = (first: Buffer) => {
      socket.pause();
      if (first.length > 0) socket.unshift(first);
      if (first[0] === 0x16) this.terminateTls(socket, host, port);
      else this.serveInner(socket, { scheme: 'http', host, port });
    };
    if (head.length > 0) start(head);
    else socket.once('data', (chunk: Buffer) => start(chunk));
  }

  private terminateTls(socket: Socket, host: string, port: number): void {
    const tls = new TLSSocket(socket, {
      isServer: true,
      ALPNProtocols: ['http/1.1'],
      SNICallback: (servername, callback) => {
        this.options.leaves.contextFor(servername || host).then((ctx) => callback(null, ctx), (error: Error) => callback(error));
      },
    });
    tls.on('error', (error) => {
      this.emit('problem', `TLS with the client for ${host}: ${error.message}`);
      tls.destroy();
    });
    this.serveInner(tls, { scheme: 'https', host, port });
  }

  private serveInner(socket: Socket, target: Target): void {
    this.targets.set(socket, target);
    this.inner.emit('connection', socket);
    socket.resume();
  }

  private forward(req: IncomingMessage, res: ServerResponse, target: Target): void {
    const recorder = new FlowRecorder(req, target, this.options.maxInspectBytes);
    const id = `proxy:${this.next++}`;
    let emitted = false;
    let requestDone = false;
    let responseSeen = false;
    const emit = () => {
      if (emitted || !requestDone || !responseSeen) return;
      emitted = true;
      // Off the hot path: the response is already flowing to the phone.
      setImmediate(() => {
        try {
          this.emit('flow', recorder.flow(id));
        } catch (error) {
          this.emit('problem', `inspecting ${id}: ${(error as Error).message}`);
        }
      });
    };
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const send = target.scheme === 'https' ? httpsRequest : httpRequest;
    const upstream = send({
      host: target.host,
      port: target.port,
      method: req.method,
      path: originForm(req.url ?? '/'),
      headers,
      agent: target.scheme === 'https' ? this.httpsAgent : this.httpAgent,
      ...(target.scheme === 'https' ? { servername: target.host.includes(':') ? undefined : target.host } : {}),
    });
    upstream.on('response', (up) => {
      recorder.responseHead(up);
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(up.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
      up.pipe(res);
      responseSeen = true;
      emit();
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // A bad upstream certificate is shown to the phone, never hidden by a working-looking answer.
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`leakwatch: could not reach ${target.host}:${target.port}: ${error.code ?? ''} ${error.message}\n`);
      } else {
        res.destroy(error);
      }
      responseSeen = true;
      emit();
    });
    req.on('data', (chunk: Buffer) => recorder.body(chunk));
    req.on('end', () => {
      requestDone = true;
      emit();
    });
    req.pipe(upstream);
  }
}
