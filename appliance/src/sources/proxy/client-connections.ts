import type { Socket } from 'node:net';
import { connectionKey, deviceOf } from './sockets.js';

export interface ClientLimits {
  /** Open connections one client (one address) may hold; more are refused at once. */
  maxPerClient: number;
  /** How long a connection may take to send its first complete request head (or a TLS connection to be relayed). */
  firstRequestMs: number;
}

/** How often a client over its cap is reported: once a minute, not once per refused connection. */
const REPORT_EVERY_MS = 60_000;

/**
 * Keeps one device on the hotspot from exhausting the appliance: a cap on the connections each
 * client address holds, and a deadline for each connection's first request, so connections that
 * open and send half a request (or nothing) do not sit for a minute each. A connection that
 * completed a request, or that is relayed untouched (pinning passthrough), is no longer timed:
 * idle keep-alive connections and HTTP/2 sessions of normal browsing stay as long as they like.
 */
export class ClientConnections {
  private readonly open = new Map<string, number>();
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly limits: ClientLimits,
    private readonly problem: (message: string) => void,
  ) {}

  /** Counts a new connection, or destroys it when its client is over the cap; false then. */
  admit(socket: Socket, now = Date.now()): boolean {
    const client = deviceOf(socket);
    const held = this.open.get(client) ?? 0;
    if (held >= this.limits.maxPerClient) {
      socket.destroy();
      if (now - (this.reported.get(client) ?? -Infinity) >= REPORT_EVERY_MS) {
        this.reported.set(client, now);
        this.problem(`refusing new connections from ${client}: it holds ${held} open, the most one client may (proxy.maxConnectionsPerClient)`);
      }
      return false;
    }
    this.open.set(client, held + 1);
    socket.once('close', () => {
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
      this.settled(socket);
    });
    this.awaitRequest(socket);
    return true;
  }

  /** (Re)starts the connection's deadline for a complete request head: after CONNECT, for the tunnel's first request. */
  awaitRequest(socket: Socket): void {
    const key = connectionKey(socket);
    clearTimeout(this.deadlines.get(key));
    this.deadlines.set(key, setTimeout(() => {
      this.deadlines.delete(key);
      socket.destroy();
    }, this.limits.firstRequestMs).unref());
  }

  /** The connection sent a whole request head (or is relayed untouched): it is not timed any more. */
  settled(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): void {
    const key = connectionKey(socket);
    const deadline = this.deadlines.get(key);
    if (deadline === undefined) return;
    clearTimeout(deadline);
    this.deadlines.delete(key);
  }
}
