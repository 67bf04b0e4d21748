import type { Flow, TlsConnectionSeen } from '../../model/index.js';
import { parseClientHello } from '../shared/client-hello.js';
import { ja4 } from '../shared/ja4.js';
import type { CapturedPacket } from './captured-packet.js';
import { describeConnection } from './connection-info.js';
import type { ConnectionEnds } from './connection-info.js';
import { parseDns } from './dns.js';
import type { DnsMessage } from './dns.js';
import { DnsNames } from './dns-names.js';
import { DnsOverTcp } from './dns-over-tcp.js';
import { HttpConnection } from './http/http-connection.js';
import { PROTOCOL, decodeIp } from './ip.js';
import { decodeLinkLayer } from './link-layer.js';
import { ProtocolSniffer } from './protocol-sniffer.js';
import { DEFAULT_LIMITS, TcpTracker } from './tcp-tracker.js';
import type { TrackerLimits } from './tcp-tracker.js';
import { decodeTcp, decodeUdp } from './transport.js';

export interface PacketFlowsOptions {
  /** Flow ids are `<idPrefix>:<n>`, n counting requests from 1 in the order they began. */
  idPrefix: string;
  /** Request bodies longer than this are cut and flagged `bodyTruncated`. */
  maxBodyBytes: number;
  onFlow(flow: Flow): void;
  onTlsConnection(connection: TlsConnectionSeen): void;
  /** A DNS answer over UDP, with the address it was sent to (the client that asked). */
  onDnsAnswer?(client: string, message: DnsMessage, time: number): void;
  /** Something in the capture could not be read; `at` says where (a connection, or "packets"). */
  onProblem(at: string, reason: string): void;
  limits?: Partial<TrackerLimits>;
}

const DNS_PORT = 53;
/** Problems named one by one per capture; more are counted in one line at the end. */
const MAX_PROBLEMS = 200;

/**
 * Packets in, flows out: the decoding a capture file and a live capture share. Link layer → IP →
 * TCP reassembly → HTTP/1.x requests with their responses; DNS answers name servers; TLS
 * ClientHellos are recorded by SNI. Frames it cannot use are counted and reported once at the end.
 */
export class PacketFlows {
  private readonly dns = new DnsNames();
  private readonly tcp: TcpTracker;
  private flowCount = 0;
  private problemCount = 0;
  private readonly skipped = { fragments: 0, malformed: 0, cutShort: 0, links: new Map<number, number>() };

  constructor(private readonly options: PacketFlowsOptions) {
    this.tcp = new TcpTracker((ends) => this.openConnection(ends), { ...DEFAULT_LIMITS, ...options.limits });
  }

  /** The name DNS answers gave an address, most recent first. */
  nameOf(ip: string): string | undefined {
    return this.dns.nameOf(ip);
  }

  /** Connections open right now (for tests of the memory bound). */
  get openConnections(): number {
    return this.tcp.size;
  }

  packet(packet: CapturedPacket): void {
    if (packet.data.length < packet.originalLength) this.skipped.cutShort++;
    const link = decodeLinkLayer(packet.linkType, packet.data);
    if (link === 'unsupported-link') {
      this.skipped.links.set(packet.linkType, (this.skipped.links.get(packet.linkType) ?? 0) + 1);
      return;
    }
    if (link === 'not-ip') return;
    const ip = link === 'malformed' ? 'malformed' : decodeIp(link.payload);
    if (ip === 'fragment') this.skipped.fragments++;
    if (ip === 'malformed' || link === 'malformed') this.skipped.malformed++;
    if (typeof ip === 'string' || typeof link === 'string') return;
    if (ip.protocol === PROTOCOL.tcp) {
      const tcp = decodeTcp(ip.payload);
      if (tcp) this.tcp.segment(packet.time, ip, tcp, link.sourceMac);
      else this.skipped.malformed++;
    } else if (ip.protocol === PROTOCOL.udp) {
      const udp = decodeUdp(ip.payload);
      if (udp?.srcPort === DNS_PORT) this.learnDns(udp.payload, ip.dst, packet.time);
    }
  }

  /** The capture ended: close every connection (emitting what they hold) and report what was skipped. */
  finish(): void {
    this.tcp.finish();
    const { fragments, malformed, cutShort, links } = this.skipped;
    const report = (reason: string) => this.options.onProblem('packets', reason);
    if (this.problemCount > MAX_PROBLEMS) report(`${this.problemCount - MAX_PROBLEMS} more connection problems like those above were not listed`);
    for (const [linkType, count] of links) {
      report(`${count} frames of link type ${linkType} were skipped: supported are Ethernet (1), Linux cooked SLL (113) and SLL2 (276), raw IP (12, 14, 101, 228, 229) and BSD loopback (0, 108)`);
    }
    if (fragments > 0) report(`${fragments} IP fragments were skipped: fragments are not reassembled (TCP sets Don't Fragment, so HTTP and TLS are not affected in practice)`);
    if (malformed > 0) report(`${malformed} packets had broken IP or TCP headers and were skipped`);
    if (cutShort > 0) report(`${cutShort} packets were cut short by the capture's snap length; requests in them may be incomplete (capture with tcpdump -s 0)`);
  }

  private openConnection(ends: ConnectionEnds): ProtocolSniffer | DnsOverTcp {
    if (ends.serverPort === DNS_PORT) return new DnsOverTcp((message) => this.dns.learn(message));
    return new ProtocolSniffer(ends, {
      http: (e) => new HttpConnection(e, {
        nextFlowId: () => `${this.options.idPrefix}:${++this.flowCount}`,
        nameOf: (ip) => this.dns.nameOf(ip),
        maxBodyBytes: this.options.maxBodyBytes,
        emit: (flow) => this.options.onFlow(flow),
        problem: (reason) => this.problem(describeConnection(e), reason),
      }),
      tls: (e, opening, time) => this.tlsConnection(e, opening, time),
    });
  }

  private tlsConnection(ends: ConnectionEnds, opening: Uint8Array, time: number): void {
    const hello = parseClientHello(opening);
    const sni = hello?.sni;
    const seen: TlsConnectionSeen = {
      device: ends.clientIp, time: Math.floor(time),
      host: sni ?? this.dns.nameOf(ends.serverIp) ?? ends.serverIp,
      ip: ends.serverIp, port: ends.serverPort,
    };
    if (sni) seen.sni = sni;
    if (hello) seen.ja4 = ja4(hello);
    this.options.onTlsConnection(seen);
  }

  private learnDns(payload: Uint8Array, client: string, time: number): void {
    const message = parseDns(payload);
    if (!message) return;
    this.dns.learn(message);
    if (message.response) this.options.onDnsAnswer?.(client, message, time);
  }

  private problem(at: string, reason: string): void {
    if (++this.problemCount <= MAX_PROBLEMS) this.options.onProblem(at, reason);
  }
}
