import type { IncomingMessage } from 'node:http';
import { createSecureServer as createSecureHttp2Server } from 'node:http2';
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { isSelfTest } from '../../model/index.js';
import { parseClientHello } from '../shared/client-hello.js';
import { ja4 } from '../shared/ja4.js';
import type { Target } from './flow-recorder.js';
import { targetWithHost } from './host-header.js';
import type { LeafCertificates } from './leaf-certs.js';
import { PinningJudge } from './passthrough.js';
import type { Passthrough, PinningPolicy } from './passthrough.js';
import type { ProxyEmitter } from './proxy-events.js';
import { connectionKey, deviceOf, relay } from './sockets.js';
import { classifyTlsFailure } from './tls-failure.js';

interface Handshake {
  secured: boolean;
  error?: NodeJS.ErrnoException;
}

/** What the proxy does with what comes out of a terminated TLS connection. */
export interface DecryptedHandlers {
  request(req: Http2ServerRequest, res: Http2ServerResponse, target: Target): void;
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: Target): void;
  /** Serves HTTP/1.1 on a decrypted socket (TLS without SNI). */
  serveHttp1(socket: Socket, target: Target): void;
  /** A connection relayed untouched (passthrough): no request of it will ever be seen. */
  relayed(socket: Socket): void;
}

/**
 * Client-side TLS: terminated with a leaf for the name the client asked for, or — when this device
 * refused our certificate for that name before (pinning, or the CA not installed) — relayed
 * untouched for a while, so the phone keeps working.
 */
export class TlsInterceptor {
  /** Terminates intercepted TLS and serves HTTP/2 and HTTP/1.1 behind it; never listens itself. */
  private readonly server: Http2SecureServer;
  /** Targets of terminated connections, by client address and port (the TLS socket wraps the raw one). */
  private readonly targets = new Map<string, Target>();
  private readonly handshakes = new Map<string, Handshake>();
  private readonly handshakeOf = new WeakMap<Socket, Handshake>();
  private readonly pinning: PinningJudge;

  constructor(
    private readonly leaves: LeafCertificates,
    pinning: PinningPolicy,
    private readonly events: ProxyEmitter,
    private readonly handlers: DecryptedHandlers,
  ) {
    this.pinning = new PinningJudge(pinning);
    this.server = createSecureHttp2Server({
      allowHTTP1: true,
      ALPNProtocols: ['h2', 'http/1.1'],
      SNICallback: (servername, callback) => {
        leaves.contextFor(servername || 'localhost').then((ctx) => callback(null, ctx), (error: Error) => callback(error));
      },
    });
    // OpenSSL's key logging costs a little per handshake: on only while someone wants the keys.
    (events as unknown as NodeJS.EventEmitter).on('newListener', (name: string | symbol) => {
      if (name !== 'keylog' || this.server.listenerCount('keylog') > 0) return;
      this.server.on('keylog', (line, tlsSocket) => events.emit('keylog', { device: deviceOf(tlsSocket), line: line.toString('latin1').trim() }));
    });
    this.server.prependListener('secureConnection', (tlsSocket) => {
      const key = connectionKey(tlsSocket);
      const state = this.handshakes.get(key);
      if (state) state.secured = true;
      const target = this.targets.get(key);
      if (target) this.pinning.accepted(deviceOf(tlsSocket), target.host, target.ja4, Date.now());
    });
    this.server.on('tlsClientError', (error, tlsSocket) => {
      // The client's alert can arrive as its connection closes, when the TLS socket no longer knows
      // its peer's address: find the handshake by the connection it wraps.
      const raw = (tlsSocket as TLSSocket & { _parent?: Socket })._parent;
      const state = (raw && this.handshakeOf.get(raw)) ?? this.handshakes.get(connectionKey(tlsSocket));
      if (state) state.error = error;
    });
    this.server.on('session', (session) => {
      session.on('error', () => session.destroy());
      // HTTP/2 has no half-closed connections: a client that closed its side is gone (the phone
      // left the page, or the network), and its streams must end now — their requests recorded
      // with what arrived — not when the appliance stops.
      session.socket.once('end', () => session.destroy());
    });
    this.server.on('request', (req, res) => {
      const target = targetWithHost(this.targets.get(connectionKey(req.socket as Socket)), String(req.headers[':authority'] ?? req.headers.host ?? ''));
      if (target) handlers.request(req, res, target);
      else res.writeHead(502).end('leakwatch: cannot tell where this request was going\n');
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const target = targetWithHost(this.targets.get(connectionKey(socket)), req.headers.host);
      if (target) handlers.upgrade(req, socket, head, target);
      else socket.destroy();
    });
  }

  /** A TLS connection whose opening bytes (the whole ClientHello record) have been read and put back. */
  accept(socket: Socket, opening: Buffer, target: Target): void {
    const device = deviceOf(socket);
    const hello = parseClientHello(opening);
    if (hello) target = { ...target, ja4: ja4(hello) };
    const host = hello?.sni || target.host || target.connectTo || '';
    if (host && this.pinning.passes(device, host, target.ja4, Date.now())) {
      this.events.emit('passthrough', { device, host, port: target.port, ...(target.ja4 ? { ja4: target.ja4 } : {}) });
      this.handlers.relayed(socket);
      relay(socket, target.connectTo ?? target.host, target.port, (message) => this.events.emit('problem', message));
      return;
    }
    if (hello?.sni) this.terminate(socket, { ...target, host: hello.sni });
    else this.terminateWithoutSni(socket, target);
  }

  /**
   * Terminates with ALPN (h2 or http/1.1), both protocols served through one request handler, as
   * Node's own HTTP/2 server does. A connection that closes before its handshake completes is a
   * client refusing our certificate.
   */
  private terminate(socket: Socket, target: Target): void {
    const key = connectionKey(socket);
    const device = deviceOf(socket);
    const state: Handshake = { secured: false };
    this.targets.set(key, target);
    this.handshakes.set(key, state);
    this.handshakeOf.set(socket, state);
    socket.once('close', () => {
      this.targets.delete(key);
      this.handshakes.delete(key);
      // The TLS layer may report the client's alert just after the connection closed: wait a turn,
      // so a refusal said with an alert is not taken for a connection that just closed.
      if (!state.secured) setImmediate(() => this.handshakeFailed(device, target.host, target.ja4, state.error));
    });
    this.server.emit('connection', socket);
  }

  /**
   * Clients send no SNI for IP-address hosts (https://10.0.0.1/): the certificate is made for the
   * address itself, and HTTP/1.1 is served (HTTP/2 clients send SNI).
   */
  private terminateWithoutSni(socket: Socket, target: Target): void {
    const device = deviceOf(socket);
    const name = target.host || target.connectTo || '';
    this.leaves.contextFor(name).then((secureContext) => {
      const tls = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
      let secured = false;
      tls.once('secure', () => {
        secured = true;
        this.pinning.accepted(device, name, target.ja4, Date.now());
      });
      tls.on('error', (error: NodeJS.ErrnoException) => {
        if (!secured) this.handshakeFailed(device, name, target.ja4, error);
        tls.destroy();
      });
      this.handlers.serveHttp1(tls, { ...target, host: name });
    }, (error: Error) => {
      this.events.emit('problem', `no certificate for ${name}: ${error.message}`);
      socket.destroy();
    });
  }

  private handshakeFailed(device: string, host: string, ja4: string | undefined, error: NodeJS.ErrnoException | undefined): void {
    const cause = classifyTlsFailure(error);
    // Never a self-test name: there is no real server behind it, and the test must see each refusal.
    const { passthrough, afterAccepting } = host && !isSelfTest(host) ? this.pinning.refused(device, host, ja4, cause, Date.now()) : { passthrough: undefined, afterAccepting: false };
    this.events.emit('tls-failure', { device, host, cause, afterAccepting, ...(passthrough ? { passthrough } : {}) });
  }

  /** The clients and hosts whose connections pass through untouched now, and why. */
  passthroughs(now = Date.now()): Passthrough[] {
    return this.pinning.current(now);
  }

}
