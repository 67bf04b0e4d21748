import type { ConnectionEnds } from './connection-info.js';
import type { IpPacket } from './ip.js';
import { TcpStream } from './tcp-stream.js';
import type { StreamSink } from './tcp-stream.js';
import type { TcpSegment } from './transport.js';

/** What reads a connection's two reassembled streams. */
export interface ConnectionHandler {
  client: StreamSink;
  server: StreamSink;
  /** No more bytes will come (FIN both ways, RST, idle, evicted, or the capture ended). */
  close(): void;
}

export interface TrackerLimits {
  /** A connection without packets for this long (capture time) is closed and freed. */
  idleMs: number;
  /** Connections tracked at once; beyond it the oldest is closed. */
  maxConnections: number;
  /** Out-of-order bytes held per direction. */
  maxHeldBytes: number;
}

export const DEFAULT_LIMITS: TrackerLimits = { idleMs: 120_000, maxConnections: 50_000, maxHeldBytes: 1 << 20 };

interface Connection {
  ends: ConnectionEnds;
  clientStream: TcpStream;
  serverStream: TcpStream;
  handler: ConnectionHandler;
  lastSeen: number;
  sawSyn: boolean;
}

/** Idle connections are looked for this often (capture time), not on every packet. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Every TCP connection of a capture, IPv4 and IPv6: finds the connection of each segment, puts each
 * direction in order, hands the bytes to a handler, and frees the connection on FIN both ways, RST,
 * a new SYN on the same ports, idleness, or when too many are open — so memory stays bounded
 * however long the capture.
 */
export class TcpTracker {
  private readonly connections = new Map<string, Connection>();
  private lastSweep = -Infinity;

  constructor(
    private readonly openHandler: (ends: ConnectionEnds) => ConnectionHandler,
    private readonly limits: TrackerLimits = DEFAULT_LIMITS,
  ) {}

  get size(): number {
    return this.connections.size;
  }

  segment(time: number, ip: IpPacket, tcp: TcpSegment, sourceMac?: string): void {
    if (time - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(time);
    const from = `${ip.src} ${tcp.srcPort}`;
    const to = `${ip.dst} ${tcp.dstPort}`;
    const key = from < to ? `${from} ${to}` : `${to} ${from}`;
    let connection = this.connections.get(key);
    if (connection && tcp.syn && !tcp.ack && this.isNewConnection(connection, ip.src, tcp.seq)) {
      this.close(key, connection);
      connection = undefined;
    }
    if (!connection) {
      // A reset or a bare ACK of a connection not seen before says nothing worth tracking.
      if (tcp.rst || (tcp.payload.length === 0 && !tcp.syn && !tcp.fin)) return;
      connection = this.open(key, ip, tcp, time);
    }
    connection.lastSeen = time;
    const fromClient = ip.src === connection.ends.clientIp && tcp.srcPort === connection.ends.clientPort;
    if (fromClient && sourceMac && !connection.ends.clientMac) connection.ends.clientMac = sourceMac;
    if (tcp.syn) connection.sawSyn = true;
    const stream = fromClient ? connection.clientStream : connection.serverStream;
    stream.segment(tcp.seq, tcp.payload, time, tcp, ip.missingBytes);
    if (tcp.rst || (connection.clientStream.finished && connection.serverStream.finished)) this.close(key, connection);
  }

  /** The capture ended: close every connection, delivering what each holds. */
  finish(): void {
    for (const [key, connection] of this.connections) this.close(key, connection);
  }

  private open(key: string, ip: IpPacket, tcp: TcpSegment, time: number): Connection {
    // The SYN's sender is the client; without a SYN, the ephemeral (higher) port is the client's.
    const senderIsClient = tcp.syn ? !tcp.ack : tcp.srcPort >= tcp.dstPort;
    const ends: ConnectionEnds = senderIsClient
      ? { clientIp: ip.src, clientPort: tcp.srcPort, serverIp: ip.dst, serverPort: tcp.dstPort }
      : { clientIp: ip.dst, clientPort: tcp.dstPort, serverIp: ip.src, serverPort: tcp.srcPort };
    const handler = this.openHandler(ends);
    const connection: Connection = {
      ends, handler, lastSeen: time, sawSyn: false,
      clientStream: new TcpStream(handler.client, this.limits.maxHeldBytes),
      serverStream: new TcpStream(handler.server, this.limits.maxHeldBytes),
    };
    this.connections.set(key, connection);
    if (this.connections.size > this.limits.maxConnections) {
      // Map order is opening order: the first entry is the oldest connection.
      const [oldestKey, oldest] = this.connections.entries().next().value!;
      this.close(oldestKey, oldest);
    }
    return connection;
  }

  /** A SYN on known ports starts a new connection unless it repeats the one that opened this one. */
  private isNewConnection(connection: Connection, src: string, seq: number): boolean {
    if (!connection.sawSyn) return true;
    const stream = src === connection.ends.clientIp ? connection.clientStream : connection.serverStream;
    return stream.initialSeq !== seq;
  }

  private close(key: string, connection: Connection): void {
    this.connections.delete(key);
    connection.clientStream.flush();
    connection.serverStream.flush();
    connection.handler.close();
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, connection] of this.connections) {
      if (now - connection.lastSeen > this.limits.idleMs) this.close(key, connection);
    }
  }
}
