import type { Child, Outcome, TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';

const PLAIN_KEY = /^[A-Za-z0-9_$]+$/;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Starts and ends like a JSON object, array or string (surrounding white space allowed). */
export function looksLikeJson(text: string): boolean {
  let i = 0;
  let j = text.length - 1;
  while (i < j && isSpace(text.charCodeAt(i))) i++;
  while (j > i && isSpace(text.charCodeAt(j))) j--;
  if (j - i < 1) return false;
  const first = text.charCodeAt(i);
  const last = text.charCodeAt(j);
  return (first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d) || (first === 0x22 && last === 0x22 && j - i > 1);
}

/** Deeper JSON is not parsed; shallower is walked whole, however odd (an app hiding a URL 20,000 levels down is still read). */
export const MAX_NESTING = 20_000;

/** Whether arrays and objects nest more than `max` deep anywhere in `text` (brackets inside strings do not count). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function pathKey(parent: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Parses a JSON text and lists its strings with their JSONPath (`$[0].properties.url`), walking
 * the parsed value with an explicit stack so deep nesting cannot overflow the call stack. Object
 * keys that look like URLs or hosts are values too.
 */
export function decodeJson(text: string, maxNodes: number): Outcome {
  // JSON.parse builds every level before the walk's value budget can stop it: 100,000 nested
  // arrays (a 200 KB body) are ~10 MB of objects and paths, for nothing any app sends.
  if (text.length > 2 * MAX_NESTING && nestedDeeperThan(text, MAX_NESTING)) return fail('budget', `JSON nested more than ${MAX_NESTING} deep`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(error instanceof RangeError ? 'budget' : 'invalid', 'not JSON');
  }
  const children: Child[] = [];
  let bytes = 0;
  // Two parallel stacks rather than one of [value, path] pairs: a JSON body has tens of thousands of values.
  const values: unknown[] = [value];
  const paths: string[] = ['$'];
  let visited = 0;
  while (values.length > 0) {
    const node = values.pop();
    const path = paths.pop()!;
    if (++visited > maxNodes) {
      return { ok: true, children, bytes, problem: { reason: 'budget', detail: `JSON has more than ${maxNodes} values` } };
    }
    if (typeof node === 'string') {
      children.push({ kind: 'text', text: node, step: { codec: 'json', at: path }, parent: text });
      bytes += node.length;
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        // Numbers, booleans and null count as values but yield nothing: no path is built for them.
        if (child === null || typeof child !== 'object' && typeof child !== 'string') {
          visited++;
          continue;
        }
        values.push(child);
        paths.push(`${path}[${i}]`);
      }
    } else if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const urlLikeKey = key.length > 3 && (key.includes('.') || key.includes('/'));
        const child = (node as Record<string, unknown>)[key];
        if (!urlLikeKey && (child === null || typeof child !== 'object' && typeof child !== 'string')) {
          visited++;
          continue;
        }
        const childPath = pathKey(path, key);
        if (urlLikeKey) children.push({ kind: 'leaf', text: key, step: { codec: 'json', at: `${childPath}{key}` } });
        values.push(child);
        paths.push(childPath);
      }
    }
  }
  return { ok: true, children, bytes };
}

/** Whole JSON values only (trimmed): `json:<JSONPath>` per string. */
export const json: TextCodec = {
  name: 'json',
  sniff: (text) => (looksLikeJson(text) ? 90 : NOT_MINE),
  decode: (text, { maxValues }) => decodeJson(text, maxValues),
};
