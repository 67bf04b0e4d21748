import { decode } from '../../../../appliance/src/detect/decode/index.js';
import type { DecodeInput } from '../../../../appliance/src/detect/decode/types.js';
import { formatPath } from '../../../../appliance/src/model/index.js';

/** Leaves as [chain, text] pairs, the shape evidence is read in. */
export function leaves(input: DecodeInput): [string, string][] {
  return decode(input).leaves.map((l) => [formatPath(l.steps), l.text]);
}

export function leafTexts(input: DecodeInput): string[] {
  return decode(input).leaves.map((l) => l.text);
}
