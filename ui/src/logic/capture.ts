import type { CaptureCounters } from '../api/types.js';
import { bytes, plural } from './format.js';

/** The health card's line on packet capture: what it saw, and drops with what to do about them. */
export function captureLine(capture: CaptureCounters | null | undefined): { text: string; warn: boolean } {
  if (!capture) return { text: 'off (capture.enabled): no byte counts per device, no packets in evidence bundles', warn: false };
  const seen = `${plural(capture.packets, 'packet')} since start`;
  if (capture.droppedPackets === 0) return { text: `${seen}, none dropped`, warn: false };
  return {
    text: `${seen}, ${capture.droppedPackets.toLocaleString('en')} dropped because the ${bytes(capture.bufferBytes)} ring was full — raise capture.bufferBytes`,
    warn: true,
  };
}
