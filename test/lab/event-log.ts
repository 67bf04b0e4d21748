/** What a lab process reported, kept in order, with a way to wait for one event (bounded). */
export class EventLog<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      if (!waiter.match(item)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  /** The first event, already seen or still to come, that matches; rejects after `timeoutMs`. */
  waitFor(match: (item: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const seen = this.items.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching event within ${timeoutMs} ms; got:\n${this.items.map((i) => JSON.stringify(i)).join('\n')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
