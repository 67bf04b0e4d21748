import { hash } from 'node:crypto';
import type { AlertEvidence, DecodeStep } from '../model/index.js';

const CONTEXT = 80;

/** A readable window of the decoded text around [start, end), with the match's offsets inside it. */
export function excerptAround(text: string, start: number, end: number): Pick<AlertEvidence, 'excerpt' | 'highlight'> {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  const head = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  const excerpt = head + visible(text.slice(from, to)) + tail;
  return { excerpt, highlight: [head.length + start - from, head.length + end - from] };
}

// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Control characters (binary framing) shown as `·`, so an excerpt never garbles a terminal. */
function visible(text: string): string {
  // Most excerpts are plain text: one native test instead of a string built character by character.
  if (!HIDDEN.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d ? '·' : ch;
  }
  return out;
}

/** Same flow, same value, same place → same id, so a re-delivered alert can be de-duplicated. */
export function alertId(parts: readonly (string | number)[]): string {
  return hash('sha256', parts.join('\u0000'), 'hex').slice(0, 24);
}

export function cloneSteps(steps: readonly DecodeStep[]): DecodeStep[] {
  return steps.map((s) => ({ ...s }));
}
