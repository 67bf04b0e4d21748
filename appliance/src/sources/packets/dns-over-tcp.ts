import type { DnsMessage } from './dns.js';
import { parseDns } from './dns.js';
import type { ConnectionHandler } from './tcp-tracker.js';

/** Largest DNS message over TCP (a 2-byte length prefix). */
const MAX_MESSAGE = 65_535;

/** DNS over TCP (port 53): each message has a 2-byte length prefix; only the server's answers matter. */
export class DnsOverTcp implements ConnectionHandler {
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  readonly client = { data: () => {}, gap: () => {} };
  readonly server = {
    data: (bytes: Uint8Array) => this.serverData(bytes),
    gap: () => {
      this.broken = true;
    },
  };

  constructor(private readonly onMessage: (message: DnsMessage) => void) {}

  close(): void {
    this.pending = Buffer.alloc(0);
  }

  private serverData(bytes: Uint8Array): void {
    if (this.broken) return;
    let b = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    while (b.length >= 2) {
      const length = b.readUInt16BE(0);
      if (b.length < 2 + length) break;
      const message = parseDns(b.subarray(2, 2 + length));
      if (message) this.onMessage(message);
      b = b.subarray(2 + length);
    }
    // Copied: the rest may be a view of a large read buffer. Bounded by one message.
    this.pending = b.length <= MAX_MESSAGE + 2 ? Buffer.from(b) : Buffer.alloc(0);
  }
}
