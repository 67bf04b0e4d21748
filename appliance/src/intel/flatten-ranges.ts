/**
 * Turns ranges sorted by start, some nested inside others, into sorted non-overlapping segments,
 * the shape RangeTable's binary search needs. The ip-location-db country CSVs nest GeoFeed
 * entries inside whole allocations (2.58.196.0–2.58.197.255 DE holding 2.58.197.15 BE), so
 * the innermost range wins where it applies and the outer one covers the rest. Where a later
 * range only partly overlaps an earlier one (a handful of rows in the ASN data), the later wins
 * over its own span. Touching segments with the same value are merged.
 *
 * Used at build time by appliance/scripts/build-intel.ts; addresses are BigInt so one code path
 * serves IPv4 and IPv6.
 */
export interface Segment {
  start: bigint;
  end: bigint;
  value: number;
}

export class RangeFlattener {
  readonly segments: Segment[] = [];
  /** Open ranges, ends strictly decreasing from bottom to top (innermost on top). */
  private readonly open: { end: bigint; value: number }[] = [];
  /** The first address not yet covered by an emitted segment. */
  private cursor = 0n;
  private lastStart = -1n;

  /** Adds the inclusive range start–end; throws when ranges come out of order. */
  add(start: bigint, end: bigint, value: number): void {
    if (start < this.lastStart || end < start) throw new RangeError(`range ${start}–${end} is out of order or empty (ranges must be sorted by start)`);
    this.lastStart = start;
    this.closeBefore(start);
    const top = this.open.at(-1);
    if (top && this.cursor < start) this.emit(this.cursor, start - 1n, top.value);
    if (this.cursor < start) this.cursor = start;
    // The new range wins over its whole span, so open ranges that end inside it are done.
    while ((this.open.at(-1)?.end ?? end + 1n) <= end) this.open.pop();
    this.open.push({ end, value });
  }

  /** Emits what is still open; call once after the last add. */
  finish(): Segment[] {
    this.closeBefore(-1n, true);
    return this.segments;
  }

  private closeBefore(address: bigint, all = false): void {
    for (let top = this.open.at(-1); top && (all || top.end < address); top = this.open.at(-1)) {
      if (this.cursor <= top.end) {
        this.emit(this.cursor, top.end, top.value);
        this.cursor = top.end + 1n;
      }
      this.open.pop();
    }
  }

  private emit(start: bigint, end: bigint, value: number): void {
    const last = this.segments.at(-1);
    if (last && last.value === value && last.end + 1n === start) last.end = end;
    else this.segments.push({ start, end, value });
  }
}
