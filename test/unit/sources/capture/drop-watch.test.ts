import { describe, expect, it } from 'vitest';
import { DropWatch } from '../../../../appliance/src/sources/capture/drop-watch.js';

describe('DropWatch (the capture ring ran out of room)', () => {
  it('says nothing while the kernel drops nothing', () => {
    const watch = new DropWatch(4 << 20);
    expect(watch.check({ received: 0, dropped: 0 }, 0)).toBeUndefined();
    expect(watch.check({ received: 5000, dropped: 0 }, 1000)).toBeUndefined();
  });

  it('says the first drops at once, with the totals and the setting to raise', () => {
    const watch = new DropWatch(4 << 20);
    expect(watch.check({ received: 9000, dropped: 1 }, 1000)).toBe(
      'the kernel dropped 1 captured packet (1 of 9000 since capture began) because its ring was full: the evidence and byte counts miss them; raise capture.bufferBytes (now 4 MiB)',
    );
  });

  it('then at most once a minute, counting only the drops since it last spoke', () => {
    const watch = new DropWatch(1.5 * (1 << 20));
    expect(watch.check({ received: 100, dropped: 40 }, 0)).toContain('dropped 40 captured packets');
    expect(watch.check({ received: 200, dropped: 90 }, 30_000)).toBeUndefined();
    expect(watch.check({ received: 300, dropped: 95 }, 61_000)).toBe(
      'the kernel dropped 55 captured packets in the last 61 s (95 of 300 since capture began) because its ring was full: the evidence and byte counts miss them; raise capture.bufferBytes (now 1.5 MiB)',
    );
    expect(watch.check({ received: 400, dropped: 95 }, 200_000)).toBeUndefined();
  });
});
