import { decode } from '../../../../appliance/src/detect/decode/index.js';
import type { CodecContext, Outcome } from '../../../../appliance/src/detect/decode/codec.js';
import type { DecodeInput } from '../../../../appliance/src/detect/decode/types.js';
import { formatPath } from '../../../../appliance/src/model/index.js';

export const URL = 'https://news.example.org/world/article-1';

/** Leaves as [chain, text] pairs, the shape evidence is read in. */
export function leaves(input: DecodeInput): [string, string][] {
  return decode(input).leaves.map((l) => [formatPath(l.steps), l.text]);
}

export function leafTexts(input: DecodeInput): string[] {
  return decode(input).leaves.map((l) => l.text);
}

/** A codec context for direct calls: generous caps, a value one step deep. */
export function context(overrides: Partial<CodecContext> = {}): CodecContext {
  return { maxOutput: 1024 * 1024, maxValues: 10_000, depth: 1, ...overrides };
}

/** A successful outcome's children as [label, text] pairs (bytes shown as `<n bytes>`). */
export function children(outcome: Outcome): [string, string][] {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.reason}: ${outcome.detail ?? ''}`);
  return outcome.children.map((c) => [formatPath(c.step ? [c.step] : []), c.kind === 'bytes' ? `<${c.bytes.length} bytes>` : c.text]);
}

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');
