/**
 * Hosts a device would not let us intercept (it rejected our certificate): for a while, their
 * connections are relayed untouched so the phone keeps working. Time is passed in, so the rule is
 * testable without waiting.
 */
export class PassthroughRegistry {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly durationMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  add(device: string, host: string, now: number): void {
    const key = `${device}\u0000${host}`;
    this.until.delete(key);
    this.until.set(key, now + this.durationMs);
    if (this.until.size > this.maxEntries) this.until.delete(this.until.keys().next().value!);
  }

  has(device: string, host: string, now: number): boolean {
    const key = `${device}\u0000${host}`;
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(key);
    return false;
  }
}
