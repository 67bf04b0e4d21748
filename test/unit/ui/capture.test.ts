import { describe, expect, it } from 'vitest';
import { captureLine } from '../../../ui/src/logic/capture.js';

describe('the health card\'s packet capture line', () => {
  it('says capture is off, and what that costs', () => {
    expect(captureLine(null)).toEqual({ text: 'off (capture.enabled): no byte counts per device, no packets in evidence bundles', warn: false });
    expect(captureLine(undefined).warn).toBe(false);
  });

  it('counts packets, none dropped', () => {
    expect(captureLine({ packets: 12_345, droppedPackets: 0, bufferBytes: 4 << 20 })).toEqual({ text: '12,345 packets since start, none dropped', warn: false });
  });

  it('warns of drops with the ring size and the setting to raise', () => {
    expect(captureLine({ packets: 1, droppedPackets: 2048, bufferBytes: 4 << 20 })).toEqual({
      text: '1 packet since start, 2,048 dropped because the 4 MB ring was full — raise capture.bufferBytes', warn: true,
    });
  });
});
