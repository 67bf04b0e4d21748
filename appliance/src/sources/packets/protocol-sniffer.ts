import type { ConnectionEnds } from './connection-info.js';
import type { ConnectionHandler } from './tcp-tracker.js';
import type { StreamSink } from './tcp-stream.js';

/** What a connection turned out to carry, judged from the client's first bytes. */
export type StreamProtocol = 'http' | 'tls' | 'other';

/** Bytes held while deciding; a TLS ClientHello fits (they are rarely over 2 KiB, post-quantum ones ~1.8 KiB more). */
const MAX_SNIFF_BYTES = 16 * 1024;
/** Longest HTTP method name waited for before deciding a stream is not HTTP ("PROPPATCH", "UNSUBSCRIBE" …). */
const MAX_METHOD_LENGTH = 16;

/** The handlers a sniffer hands a connection to once it knows the protocol. */
export interface ProtocolHandlers {
  http(ends: ConnectionEnds): ConnectionHandler;
  /** Called once with the client's opening bytes (a ClientHello, possibly incomplete). */
  tls(ends: ConnectionEnds, opening: Uint8Array, time: number): void;
}

/**
 * Looks at the client's first bytes on a connection of any port and decides: HTTP/1.x (a method
 * and a space), TLS (a handshake record), or something else (ignored). Server bytes before the
 * decision are dropped: HTTP and TLS clients speak first.
 */
export class ProtocolSniffer implements ConnectionHandler {
  readonly client: StreamSink;
  readonly server: StreamSink;
  private protocol: StreamProtocol | undefined;
  private held: { bytes: Uint8Array; time: number }[] = [];
  private http: ConnectionHandler | undefined;

  constructor(
    private readonly ends: ConnectionEnds,
    private readonly handlers: ProtocolHandlers,
  ) {
    this.client = {
      data: (bytes, time) => this.clientData(bytes, time),
      gap: (lost) => (this.http ? this.http.client.gap(lost) : this.decide('other')),
    };
    this.server = {
      data: (bytes, time) => this.http?.server.data(bytes, time),
      gap: (lost) => this.http?.server.gap(lost),
    };
  }

  close(): void {
    if (this.protocol === undefined) this.decide(this.guess(true) ?? 'other');
    this.http?.close();
  }

  private clientData(bytes: Uint8Array, time: number): void {
    if (this.http) return this.http.client.data(bytes, time);
    if (this.protocol !== undefined) return;
    // Copied: the bytes may be a view of a large read buffer.
    this.held.push({ bytes: new Uint8Array(bytes), time });
    const guess = this.guess(false);
    if (guess) this.decide(guess);
  }

  /** The protocol, once the bytes held are enough to tell (or `final`: no more are coming). */
  private guess(final: boolean): StreamProtocol | undefined {
    const b = this.opening();
    if (b.length === 0) return final ? 'other' : undefined;
    if (b[0] === 0x16) {
      if (b.length < 5) return final ? 'other' : undefined;
      if (b[1] !== 0x03) return 'other';
      const recordEnd = 5 + ((b[3]! << 8) | b[4]!);
      return final || b.length >= Math.min(recordEnd, MAX_SNIFF_BYTES) ? 'tls' : undefined;
    }
    for (let i = 0; i < b.length && i <= MAX_METHOD_LENGTH; i++) {
      const c = b[i]!;
      if (c === 0x20) return i > 0 ? 'http' : 'other';
      if (!((c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f)) return 'other';
    }
    return final || b.length > MAX_METHOD_LENGTH ? 'other' : undefined;
  }

  private decide(protocol: StreamProtocol): void {
    this.protocol = protocol;
    const held = this.held;
    this.held = [];
    if (protocol === 'tls') this.handlers.tls(this.ends, this.opening(held), held[0]?.time ?? 0);
    if (protocol === 'http') {
      this.http = this.handlers.http(this.ends);
      for (const { bytes, time } of held) this.http.client.data(bytes, time);
    }
  }

  private opening(held = this.held): Uint8Array {
    if (held.length === 1) return held[0]!.bytes;
    return Buffer.concat(held.map((h) => h.bytes));
  }
}
