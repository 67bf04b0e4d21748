import { ChunkedBody } from './chunked-body.js';
import { HttpParseError } from './http-parse-error.js';
import { parseHead } from './message-head.js';
import type { BodyFraming, MessageHead } from './message-head.js';

/** What a reader tells its owner, message by message. */
export interface MessageEvents {
  /** A complete head; returns how its body is delimited. `time` is when the head's first byte arrived. */
  head(head: MessageHead, time: number): BodyFraming;
  body(bytes: Uint8Array): void;
  /** The message (head and body) is complete. */
  end(): void;
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/**
 * Splits one direction of an HTTP/1.x connection into messages — keep-alive and pipelined alike —
 * from bytes arriving in arbitrary pieces. Throws HttpParseError at the first thing that is not
 * HTTP; after that the owner stops feeding it.
 */
export class MessageReader {
  private headBytes: Buffer = Buffer.alloc(0);
  private headTime = 0;
  private framing: BodyFraming | undefined;
  private remaining = 0;
  private chunked: ChunkedBody | undefined;

  constructor(private readonly events: MessageEvents) {}

  /** A message has begun and not ended. */
  get inMessage(): boolean {
    return this.framing !== undefined || this.headBytes.length > 0;
  }

  push(bytes: Uint8Array, time: number): void {
    let b = bytes;
    while (b.length > 0) {
      b = this.framing ? this.readBody(b) : this.readHead(b, time);
    }
  }

  /** The connection closed: a body that runs until close ends here. Returns true if a message was cut short. */
  close(): boolean {
    if (this.framing?.type === 'until-close') {
      this.finishMessage();
      return false;
    }
    return this.inMessage;
  }

  private readHead(b: Uint8Array, time: number): Uint8Array {
    if (this.headBytes.length === 0) {
      // Empty lines between messages are allowed (RFC 9112 §2.2).
      let i = 0;
      while (i < b.length && (b[i] === 0x0d || b[i] === 0x0a)) i++;
      if (i === b.length) return b.subarray(b.length);
      b = b.subarray(i);
      this.headTime = time;
    }
    const searchFrom = Math.max(0, this.headBytes.length - 3);
    const joined = this.headBytes.length === 0 ? Buffer.from(b.buffer, b.byteOffset, b.length) : Buffer.concat([this.headBytes, b]);
    const { at, length } = headEnd(joined, searchFrom);
    if (at < 0) {
      if (joined.length > MAX_HEAD_BYTES) throw new HttpParseError('message head longer than 64 KiB (or not HTTP)');
      // Copied: the bytes may be a view of a large read buffer.
      this.headBytes = Buffer.from(joined);
      return b.subarray(b.length);
    }
    const used = at + length - this.headBytes.length;
    const head = parseHead(joined.subarray(0, at));
    this.headBytes = Buffer.alloc(0);
    this.framing = this.events.head(head, this.headTime);
    if (this.framing.type === 'none') this.finishMessage();
    else if (this.framing.type === 'length') this.remaining = this.framing.length;
    else if (this.framing.type === 'chunked') this.chunked = new ChunkedBody();
    return b.subarray(used);
  }

  private readBody(b: Uint8Array): Uint8Array {
    const framing = this.framing!;
    if (framing.type === 'until-close') {
      this.events.body(b);
      return b.subarray(b.length);
    }
    if (framing.type === 'length') {
      const take = Math.min(this.remaining, b.length);
      if (take > 0) this.events.body(b.subarray(0, take));
      this.remaining -= take;
      if (this.remaining === 0) this.finishMessage();
      return b.subarray(take);
    }
    const used = this.chunked!.push(b, (data) => this.events.body(data));
    if (this.chunked!.done) this.finishMessage();
    return b.subarray(used);
  }

  private finishMessage(): void {
    this.framing = undefined;
    this.chunked = undefined;
    this.events.end();
  }
}

/** Where the blank line ending a head is: CRLF CRLF, or bare LF LF from lax senders, whichever is first. */
function headEnd(b: Buffer, from: number): { at: number; length: number } {
  const crlf = b.indexOf(CRLFCRLF, from);
  const lf = b.indexOf(LFLF, from);
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { at: lf, length: 2 };
  return { at: crlf, length: 4 };
}
