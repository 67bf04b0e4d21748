import type { BytesCodec, Child, Outcome } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { asText } from './bytes.js';

/**
 * Protocol Buffers wire format without a schema: varint, 64-bit, length-delimited and 32-bit
 * fields (groups are rejected). Strict — the whole buffer must parse with field numbers ≥ 1 and
 * lengths in bounds — because random bytes parse as protobuf surprisingly often when lax.
 */
interface Field {
  number: number;
  value: Uint8Array;
}

function varint(b: Uint8Array, pos: number): [number, number] | undefined {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= b.length) return undefined;
    const byte = b[pos + i]!;
    if (shift < 28) result |= (byte & 0x7f) << shift;
    else result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, pos + i + 1];
  }
  return undefined;
}

/** The length-delimited fields of a message, or undefined when the bytes are not one. */
export function parseMessage(b: Uint8Array): Field[] | undefined {
  const fields: Field[] = [];
  let pos = 0;
  let count = 0;
  while (pos < b.length) {
    const key = varint(b, pos);
    if (!key) return undefined;
    const [tag, afterKey] = key;
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number < 1 || number > 536_870_911) return undefined;
    pos = afterKey;
    if (wire === 0) {
      const v = varint(b, pos);
      if (!v) return undefined;
      pos = v[1];
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else if (wire === 2) {
      const len = varint(b, pos);
      if (!len || len[1] + len[0] > b.length) return undefined;
      fields.push({ number, value: b.subarray(len[1], len[1] + len[0]) });
      pos = len[1] + len[0];
    } else {
      return undefined;
    }
    if (pos > b.length) return undefined;
    count++;
  }
  return count > 0 ? fields : undefined;
}

/** A printable string somewhere in the message (nested messages searched a few levels deep). */
function hasPrintableString(fields: Field[], depth = 0): boolean {
  for (const f of fields) {
    const text = asText(f.value, 0);
    if (text !== undefined && text.length >= 3) return true;
    if (depth < 4) {
      const inner = parseMessage(f.value);
      if (inner && hasPrintableString(inner, depth + 1)) return true;
    }
  }
  return false;
}

export function looksLikeProtobuf(b: Uint8Array): boolean {
  if (b.length < 3) return false;
  const fields = parseMessage(b);
  return fields !== undefined && hasPrintableString(fields);
}

/** One child per length-delimited field: text when printable, else bytes (a nested message, gzip, …). */
function decodeProtobuf(b: Uint8Array, parentPath: string | undefined): Outcome {
  const fields = parseMessage(b);
  if (!fields || !hasPrintableString(fields)) return fail('invalid', 'not a protobuf message');
  const children: Child[] = fields.map((f) => {
    const at = parentPath ? `${parentPath}.${f.number}` : String(f.number);
    const text = asText(f.value, 0);
    return text !== undefined ? { kind: 'text', text, step: { codec: 'protobuf', at } } : { kind: 'bytes', bytes: f.value, step: { codec: 'protobuf', at } };
  });
  return { ok: true, children, bytes: 0, mergeStep: parentPath !== undefined };
}

/** `protobuf:<field path>`: a message nested in a field continues its parent's path (`2.1`). */
export const protobuf: BytesCodec = {
  name: 'protobuf',
  sniff: (b) => (looksLikeProtobuf(b) ? 50 : NOT_MINE),
  decode: (b, { lastStep }) => decodeProtobuf(b, lastStep?.codec === 'protobuf' ? lastStep.at : undefined),
};
