/** Where the inspection thread's time goes, per stage, since it started (for `/api/system` and the bench). */
export interface StageCosts {
  /** Flows inspected, and the detector's time on them (decode and match), in ms. */
  flows: number;
  detectMs: number;
  /** Batches committed (flows, alerts and outbox in one transaction each), and the time in them, in ms. */
  batches: number;
  storeMs: number;
}

/** Adds up the time of each stage on the thread that does the work. */
export class StageClock {
  private readonly costs: StageCosts = { flows: 0, detectMs: 0, batches: 0, storeMs: 0 };

  detected(ms: number): void {
    this.costs.flows++;
    this.costs.detectMs += ms;
  }

  stored(ms: number): void {
    this.costs.batches++;
    this.costs.storeMs += ms;
  }

  snapshot(): StageCosts {
    return { ...this.costs };
  }
}
