/**
 * Failed logins per client address in a sliding minute: the embedded broker accepts the admin
 * password, so it gets the same guard as the web login (5 a minute) against guessing.
 */
export class LoginLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly perMinute = 5,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `address` may try now. */
  allows(address: string): boolean {
    return this.recent(address).length < this.perMinute;
  }

  failed(address: string): void {
    this.failures.set(address, [...this.recent(address), this.now()]);
  }

  private recent(address: string): number[] {
    const since = this.now() - 60_000;
    const kept = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(address);
    return kept;
  }
}
