/** Where one direction's bytes go, in order, once reassembled. */
export interface StreamSink {
  /** Bytes that follow the previous ones; `time` is the capture time of the packet that carried them. */
  data(bytes: Uint8Array, time: number): void;
  /** Bytes the capture never had (lost packets, or a hole left when the buffer cap was hit). */
  gap(lostBytes: number): void;
}

interface HeldSegment {
  /** Stream position of the first byte (bytes since the stream began, not wrapped). */
  position: number;
  bytes: Uint8Array;
  time: number;
}

/** Out-of-order data is held up to this many bytes per direction; then the hole is given up as lost. */
export const DEFAULT_MAX_HELD_BYTES = 1 << 20;
/** Segments further ahead than this are not plausible for one window: a stray or forged packet. */
const MAX_AHEAD = 1 << 30;

/**
 * One direction of a TCP connection put back in order. Sequence numbers are 32-bit and wrap; they
 * are turned into positions (a plain count of bytes since the first seen) by the signed distance
 * to the next expected number, so wrap-around needs no special case. Retransmitted and overlapping
 * bytes are delivered once: bytes delivered are never replaced, and among held segments the one
 * starting earlier wins. A capture that began mid-stream starts at the first data segment seen.
 */
export class TcpStream {
  /** Sequence number at position 0; undefined until the first SYN or data segment. */
  private base: number | undefined;
  private position = 0;
  /** Out-of-order segments, sorted by position. */
  private held: HeldSegment[] = [];
  private heldBytes = 0;
  private finPosition: number | undefined;
  /** The sequence number this side sent first (its SYN's), if a SYN was seen. */
  initialSeq: number | undefined;

  constructor(
    private readonly sink: StreamSink,
    private readonly maxHeldBytes = DEFAULT_MAX_HELD_BYTES,
  ) {}

  /** Every byte up to this side's FIN has been delivered. */
  get finished(): boolean {
    return this.finPosition !== undefined && this.position >= this.finPosition;
  }

  get bytesHeld(): number {
    return this.heldBytes;
  }

  /**
   * One segment. `missingBytes` > 0 when the capture cut the segment short (snap length): the
   * bytes after `payload` are lost, and reported as a gap once the stream reaches them.
   */
  segment(seq: number, payload: Uint8Array, time: number, flags: { syn?: boolean; fin?: boolean }, missingBytes = 0): void {
    let start = seq;
    if (flags.syn) {
      // The SYN takes one sequence number; data in the SYN (TCP Fast Open) follows it.
      start = (seq + 1) >>> 0;
      if (this.base === undefined) {
        this.initialSeq = seq;
        this.base = start;
      }
    }
    if (this.base === undefined) {
      if (payload.length === 0 && !flags.fin) return;
      this.base = start;
    }
    const expected = (this.base + this.position) >>> 0;
    const ahead = (start - expected) | 0;
    const position = this.position + ahead;
    const end = position + payload.length + missingBytes;
    if (flags.fin && this.finPosition === undefined) this.finPosition = end;
    if (payload.length + missingBytes === 0 || end <= this.position || ahead > MAX_AHEAD) return;
    if (position <= this.position) {
      if (position + payload.length > this.position) this.deliver(payload.subarray(this.position - position), time);
      if (end > this.position) this.skip(end - this.position);
      this.release();
    } else if (payload.length > 0) {
      // Copied: the packet's bytes belong to a large read buffer that should not stay pinned.
      this.hold({ position, bytes: new Uint8Array(payload), time });
      if (this.heldBytes > this.maxHeldBytes) this.skipHole();
    }
  }

  /** `lostBytes` after what was delivered can never arrive: say so and move past them. */
  private skip(lostBytes: number): void {
    if (lostBytes <= 0) return;
    this.sink.gap(lostBytes);
    this.position += lostBytes;
    this.release();
  }

  /** The connection is over: deliver what is held, across any holes. */
  flush(): void {
    while (this.held.length > 0) this.skipHole();
  }

  private deliver(bytes: Uint8Array, time: number): void {
    this.position += bytes.length;
    this.sink.data(bytes, time);
  }

  /** Delivers held segments that have become contiguous, trimming what was already delivered. */
  private release(): void {
    while (this.held.length > 0 && this.held[0]!.position <= this.position) {
      const segment = this.held.shift()!;
      this.heldBytes -= segment.bytes.length;
      const already = this.position - segment.position;
      if (already < segment.bytes.length) this.deliver(segment.bytes.subarray(already), segment.time);
    }
  }

  private hold(segment: HeldSegment): void {
    let at = this.held.length;
    while (at > 0 && this.held[at - 1]!.position > segment.position) at--;
    this.held.splice(at, 0, segment);
    this.heldBytes += segment.bytes.length;
  }

  private skipHole(): void {
    const next = this.held[0];
    if (!next) return;
    this.skip(next.position - this.position);
  }
}
