import type { DecodeStep } from '../../model/index.js';
import type { Child, Outcome } from './codec.js';
import type { DecodeBudget, DecodeInput, DecodeResult } from './types.js';
import { DEFAULT_DECODE_BUDGET } from './types.js';
import { asText, entropy, framedGzipOffset, isGzip, isZlib, isZstd, looksRandom } from './bytes.js';
import { base64Bytes, looksLikeBase64, meaningful } from './base64.js';
import type { Compression } from './compression.js';
import { contentCodings, decompress } from './compression.js';
import { decodeForm, looksLikeForm } from './form.js';
import { hexBytes, looksLikeHex } from './hex.js';
import { decodeJson, looksLikeJson } from './json.js';
import { decodeJwt, looksLikeJwt } from './jwt.js';
import { decodeMultipart, multipartBoundary } from './multipart.js';
import { decodePercent, hasEscapes } from './percent.js';
import { decodeProtobuf, looksLikeProtobuf } from './protobuf.js';
import { decodeStrings } from './strings.js';
import { decodeUrlQuery, looksLikeUrlWithQuery } from './url-query.js';

type Node =
  | { kind: 'text'; text: string; steps: DecodeStep[]; depth: number; form?: boolean; parent?: string }
  | { kind: 'bytes'; bytes: Uint8Array; steps: DecodeStep[]; depth: number; contentType?: string };

/**
 * The recursive decoder, as a loop over an explicit work list: each value is offered to the codecs
 * that its shape admits, in order of how specific that shape is; the first that succeeds replaces
 * it with its children. Whatever no codec takes is a leaf. Budgets bound depth, bytes and values.
 */
export class Walk {
  private readonly budget: DecodeBudget;
  private readonly result: DecodeResult = { leaves: [], problems: [], opaque: [], bytesProduced: 0, nodes: 0, exhausted: false };
  private readonly work: Node[] = [];

  constructor(private readonly input: DecodeInput) {
    this.budget = { ...DEFAULT_DECODE_BUDGET, ...input.budget };
  }

  run(): DecodeResult {
    this.work.push(this.rootNode());
    while (this.work.length > 0) {
      const node = this.work.pop()!;
      if (++this.result.nodes > this.budget.maxNodes) {
        this.exhaust(node.steps, 'walk', `more than ${this.budget.maxNodes} values`);
        break;
      }
      if (node.kind === 'text') this.text(node);
      else this.bytes(node);
    }
    return this.result;
  }

  private rootNode(): Node {
    const steps = [...(this.input.root ?? [])];
    const { data, contentType } = this.input;
    const form = contentType !== undefined && /x-www-form-urlencoded/i.test(contentType);
    if (typeof data === 'string') return { kind: 'text', text: data, steps, depth: 0, form };
    let bytes = data;
    if (this.input.contentEncoding) bytes = this.contentDecoded(bytes, this.input.contentEncoding, steps);
    if (form) {
      const text = asText(bytes);
      if (text !== undefined) return { kind: 'text', text, steps, depth: 0, form: true };
    }
    return contentType === undefined ? { kind: 'bytes', bytes, steps, depth: 0 } : { kind: 'bytes', bytes, steps, depth: 0, contentType };
  }

  /** Undoes the declared Content-Encoding; on failure keeps the bytes as they are (HAR tools store decoded text). */
  private contentDecoded(bytes: Uint8Array, header: string, steps: DecodeStep[]): Uint8Array {
    const codings = contentCodings(header);
    if (!codings || codings.length === 0) return bytes;
    let current = bytes;
    for (const coding of codings) {
      const outcome = decompress(coding, current, { maxOutput: this.stepCap() });
      if (!outcome.ok || outcome.children[0]?.kind !== 'bytes') {
        this.result.problems.push({ steps: [...steps], codec: 'content-encoding', reason: outcome.ok ? 'invalid' : outcome.reason, detail: `Content-Encoding ${header} did not decode; read as sent` });
        return bytes;
      }
      current = outcome.children[0].bytes;
      this.result.bytesProduced += current.length;
      steps.push({ codec: 'content-encoding', at: header.trim().toLowerCase() === 'deflate' ? 'deflate' : coding === 'brotli' ? 'br' : coding });
    }
    return current;
  }

  private text(node: Extract<Node, { kind: 'text' }>): void {
    const { text } = node;
    if (node.depth >= this.budget.maxDepth) {
      if (looksLikeBase64(text) || looksLikeJson(text)) this.problem(node.steps, 'walk', 'depth', `stopped after ${this.budget.maxDepth} steps`);
      this.leafOf(node);
      return;
    }
    // Most strings in telemetry are short words, numbers and ids: nothing to decode.
    if (text.length < 12 && !text.includes('=') && !text.includes('%') && !looksLikeJson(text)) {
      this.leafOf(node);
      return;
    }
    const attempt = (outcome: Outcome, codec: string): boolean => this.apply(node, outcome, codec);
    if (node.form && attempt(decodeForm(text), 'form')) return;
    if (looksLikeJson(text) && attempt(decodeJson(text, this.budget.maxNodes), 'json')) return;
    if (text.startsWith('eyJ') && looksLikeJwt(text) && attempt(decodeJwt(text), 'jwt')) return;
    if (text.includes('://') && looksLikeUrlWithQuery(text) && attempt(decodeUrlQuery(text), 'query')) return;
    const hasEquals = text.includes('=');
    if (hasEquals && !node.form && node.depth > 0 && looksLikeForm(text) && !looksLikeBase64(text) && attempt(decodeForm(text), 'form')) return;
    if (text.includes('%') && hasEscapes(text) && attempt(decodePercent(text), 'percent')) return;
    if ((text.length >> 1) > this.stepCap() && (looksLikeHex(text) || looksLikeBase64(text))) {
      this.problem(node.steps, 'walk', 'budget', `a ${text.length}-character encoded string is over the decode budget`);
      this.leafOf(node);
      return;
    }
    if (looksLikeHex(text) && this.binaryText(node, hexBytes(text), 'hex')) return;
    if (looksLikeBase64(text)) {
      const bytes = base64Bytes(text);
      if (bytes && this.binaryText(node, bytes, 'base64')) return;
    }
    this.leafOf(node);
  }

  /**
   * A text that decodes (base64, hex) to bytes: taken when the bytes are readable, compressed or
   * protobuf. Otherwise the text stays a leaf, and random-looking bytes are reported as opaque.
   */
  private binaryText(node: Extract<Node, { kind: 'text' }>, bytes: Uint8Array, codec: 'base64' | 'hex'): boolean {
    const kind = meaningful(bytes);
    const child: Child = kind === 'text' ? { kind: 'text', text: asText(bytes)!, step: { codec } } : { kind: 'bytes', bytes, step: { codec } };
    if (kind !== undefined) return this.apply(node, { ok: true, children: [child], bytes: bytes.length }, codec);
    const steps = [...node.steps, { codec }];
    const inner = { kind: 'bytes' as const, bytes, steps, depth: node.depth + 1 };
    // Hex is how ids and hashes travel; base64 is how SDKs wrap compressed payloads.
    if (codec === 'base64' && bytes.length >= 16 && (this.tryHeadless(inner, 'brotli') || this.tryHeadless(inner, 'deflate'))) return true;
    if (looksRandom(bytes)) this.opaque(bytes, steps);
    return false;
  }

  private bytes(node: Extract<Node, { kind: 'bytes' }>): void {
    const b = node.bytes;
    if (b.length === 0) return;
    if (node.depth >= this.budget.maxDepth) {
      this.problem(node.steps, 'walk', 'depth', `stopped after ${this.budget.maxDepth} steps`);
      return;
    }
    const magic: Compression | undefined = isGzip(b) ? 'gzip' : isZstd(b) ? 'zstd' : isZlib(b) ? 'zlib' : undefined;
    if (magic && this.apply(node, decompress(magic, b, { maxOutput: this.stepCap() }), magic)) return;
    const framed = magic ? -1 : framedGzipOffset(b);
    if (framed > 0) {
      const outcome = decompress('gzip', b.subarray(framed), { maxOutput: this.stepCap() });
      if (outcome.ok) outcome.children = outcome.children.map((c) => ({ ...c, step: { codec: 'gzip', at: `offset ${framed}` } }));
      if (this.apply(node, outcome, 'gzip')) return;
    }
    const boundary = multipartBoundary(b, node.contentType);
    if (boundary && this.apply(node, decodeMultipart(b, boundary), 'multipart')) return;
    const text = asText(b);
    if (text !== undefined) {
      this.push({ kind: 'text', text, steps: node.steps, depth: node.depth });
      return;
    }
    const last = node.steps[node.steps.length - 1];
    const parentPath = last?.codec === 'protobuf' ? last.at : undefined;
    if (looksLikeProtobuf(b) && this.apply(node, decodeProtobuf(b, parentPath), 'protobuf', parentPath !== undefined)) return;
    if (this.tryHeadless(node, 'brotli') || this.tryHeadless(node, 'deflate')) return;
    if (looksRandom(b)) {
      this.opaque(b, node.steps);
      return;
    }
    this.apply(node, decodeStrings(b), 'strings');
  }

  /** Brotli and raw deflate have no magic: a result only counts if it is readable. */
  private tryHeadless(node: Extract<Node, { kind: 'bytes' }>, kind: 'brotli' | 'deflate'): boolean {
    if (node.bytes.length < 8) return false;
    const outcome = decompress(kind, node.bytes, { maxOutput: this.stepCap() });
    if (!outcome.ok || outcome.problem) return false;
    const child = outcome.children[0];
    if (child?.kind !== 'bytes' || child.bytes.length === 0 || meaningful(child.bytes) === undefined) return false;
    return this.apply(node, outcome, kind);
  }

  /**
   * Takes a codec's outcome: records problems, charges the budget, queues the children. `merge`
   * replaces the node's last step (nested protobuf paths read `2.1`, not `protobuf:2 → protobuf:1`).
   */
  private apply(node: Node, outcome: Outcome, codec: string, merge = false): boolean {
    if (!outcome.ok) {
      if (outcome.reason === 'budget' || outcome.reason === 'truncated') this.problem(node.steps, codec, outcome.reason, outcome.detail);
      return false;
    }
    if (outcome.problem) this.problem(node.steps, codec, outcome.problem.reason, outcome.problem.detail);
    this.result.bytesProduced += outcome.bytes;
    if (this.result.bytesProduced > this.budget.maxTotalBytes) {
      this.exhaust(node.steps, codec, `decoded more than ${this.budget.maxTotalBytes} bytes`);
      this.leafOf(node);
      return true;
    }
    if (outcome.keepLeaf) this.leafOf(node);
    const base = merge ? node.steps.slice(0, -1) : node.steps;
    const queued: Node[] = outcome.children.map((c: Child) => {
      const steps = [...base, c.step];
      if (c.kind === 'leaf') {
        this.leaf(c.text, steps);
        return undefined;
      }
      const depth = node.depth + (merge ? 0 : 1);
      if (c.kind === 'bytes') return { kind: 'bytes' as const, bytes: c.bytes, steps, depth };
      return c.parent === undefined ? { kind: 'text' as const, text: c.text, steps, depth } : { kind: 'text' as const, text: c.text, steps, depth, parent: c.parent };
    }).filter((n): n is Node => n !== undefined);
    for (let i = queued.length - 1; i >= 0; i--) this.push(queued[i]!);
    return true;
  }

  private push(node: Node): void {
    this.work.push(node);
  }

  private leafOf(node: Node): void {
    if (node.kind === 'text') this.leaf(node.text, node.steps, node.parent);
  }

  private leaf(text: string, steps: DecodeStep[], parent?: string): void {
    if (text === '') return;
    this.result.leaves.push(parent === undefined ? { text, steps } : { text, steps, parent });
  }

  private opaque(bytes: Uint8Array, steps: DecodeStep[]): void {
    this.result.opaque.push({ steps: [...steps], bytes: bytes.length, entropy: Math.round(entropy(bytes) * 100) / 100 });
  }

  private problem(steps: DecodeStep[], codec: string, reason: 'truncated' | 'budget' | 'invalid' | 'depth', detail?: string): void {
    if (this.result.problems.length >= 100) return;
    this.result.problems.push(detail === undefined ? { steps: [...steps], codec, reason } : { steps: [...steps], codec, reason, detail });
  }

  private exhaust(steps: DecodeStep[], codec: string, detail: string): void {
    this.result.exhausted = true;
    this.problem(steps, codec, 'budget', detail);
    this.work.length = 0;
  }

  private stepCap(): number {
    return Math.max(0, Math.min(this.budget.maxStepOutput, this.budget.maxTotalBytes - this.result.bytesProduced));
  }
}

export function decode(input: DecodeInput): DecodeResult {
  try {
    return new Walk(input).run();
  } catch (error) {
    // A codec bug must never take the request (or the phone's connection) down with it.
    return { leaves: [], problems: [{ steps: [...(input.root ?? [])], codec: 'walk', reason: 'invalid', detail: String(error) }], opaque: [], bytesProduced: 0, nodes: 0, exhausted: true };
  }
}
