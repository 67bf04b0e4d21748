import type { Flow } from '../../model/index.js';

/**
 * Puts flows back in start order when a HAR tool wrote its entries slightly out of order (most
 * write them by start time, some by end time). The detector needs time order: a navigation must
 * come before the telemetry that leaks it. Only a bounded window is held, so a file that is out of
 * order by more than the window comes out partly unsorted rather than filling memory.
 */
export class ReorderBuffer {
  /** Sorted by time; ties keep the order flows arrived in. */
  private readonly held: Flow[] = [];
  private heldBodyBytes = 0;

  constructor(
    private readonly maxFlows: number,
    private readonly maxBodyBytes: number,
  ) {}

  get size(): number {
    return this.held.length;
  }

  /** Adds a flow; appends to `out` the flows that leave the window, earliest first. */
  add(flow: Flow, out: Flow[]): void {
    const held = this.held;
    // Most files are already in order: the new flow usually belongs at the end.
    let at = held.length;
    while (at > 0 && held[at - 1]!.time > flow.time) at--;
    held.splice(at, 0, flow);
    this.heldBodyBytes += flow.body.length;
    while (held.length > this.maxFlows || (held.length > 1 && this.heldBodyBytes > this.maxBodyBytes)) this.release(out);
  }

  /** Appends every held flow to `out`, earliest first. */
  drain(out: Flow[]): void {
    while (this.held.length > 0) this.release(out);
  }

  private release(out: Flow[]): void {
    const flow = this.held.shift()!;
    this.heldBodyBytes -= flow.body.length;
    out.push(flow);
  }
}
