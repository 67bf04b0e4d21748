import type { DecodeStep } from '../../model/index.js';
import type { Child, Codec, CodecContext, Outcome } from './codec.js';
import type { DecodeBudget, DecodeFailure, DecodeInput, DecodeResult } from './types.js';
import { DEFAULT_DECODE_BUDGET } from './types.js';
import { asText, entropy, looksRandom } from './bytes.js';
import { undoContentEncoding } from './content-encoding.js';
import { looksLikeJson } from './json.js';
import { BYTES_CODECS, TEXT_CODECS, candidates, safeDecode } from './registry.js';

interface NodeBase {
  steps: DecodeStep[];
  /**
   * Set below a step that produced siblings with the same label (repeated form keys, repeated
   * protobuf fields): only there can the same text arrive by the same chain twice.
   */
  mayRepeat?: boolean;
  depth: number;
  /** The request's Content-Type, kept while no step has been taken (root bytes → root text). */
  contentType?: string;
}
type TextNode = NodeBase & { kind: 'text'; text: string; parent?: string };
/** `overBudget`: the codec that already ran past the output budget on these very bytes (a declared Content-Encoding). */
type BytesNode = NodeBase & { kind: 'bytes'; bytes: Uint8Array; overBudget?: string };
/** A plain string waiting its turn, so leaves keep document order; it needs no sniffing. */
type LeafNode = NodeBase & { kind: 'leaf'; text: string; parent?: string };
type Node = TextNode | BytesNode | LeafNode;

const MAX_PROBLEMS = 100;

const chainKey = (steps: readonly DecodeStep[]): string => steps.map((s) => `${s.codec}\u0001${s.at ?? ''}`).join('\u0000');

/** `[...steps, step]`, without the iterator protocol: this runs once per JSON string. */
function extend(steps: readonly DecodeStep[], step: DecodeStep): DecodeStep[] {
  const out = new Array<DecodeStep>(steps.length + 1);
  for (let i = 0; i < steps.length; i++) out[i] = steps[i]!;
  out[steps.length] = step;
  return out;
}

/** Whether two children carry the same step (repeated form keys or protobuf fields). JSONPaths never repeat. */
function siblingsRepeat(codec: string, children: readonly Child[]): boolean {
  if (codec === 'json' || children.length < 2) return false;
  const labels = new Set<string>();
  for (const child of children) {
    const label = child.step === undefined ? '' : `${child.step.codec}\u0001${child.step.at ?? ''}`;
    if (labels.has(label)) return true;
    labels.add(label);
  }
  return false;
}

/**
 * Most strings in telemetry are words, numbers, ids and UUIDs. One pass over the characters tells
 * whether any text codec could apply: without JSON brackets, `=`, `%`, `://`, a JWT prefix, an
 * all-hex run or a mixed-case base64 run, a string is a leaf and is never sniffed.
 */
function inert(text: string, fromForm: boolean): boolean {
  if (text.length > 256) return false;
  if (looksLikeJson(text) || text.startsWith('eyJ')) return false;
  let hexOnly = true;
  let base64Only = true;
  let upper = false;
  let lower = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d || c === 0x25) return false; // = %
    if (c === 0x3a && text.charCodeAt(i + 1) === 0x2f) return false; // :/
    const digit = c >= 0x30 && c <= 0x39;
    const isUpper = c >= 0x41 && c <= 0x5a;
    const isLower = c >= 0x61 && c <= 0x7a;
    upper ||= isUpper;
    lower ||= isLower;
    if (!digit && !((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66)) hexOnly = false;
    // A space is a raw `+` only in a value a form decoder produced (base64.ts).
    if (!digit && !isUpper && !isLower && c !== 0x2b && c !== 0x2f && c !== 0x2d && c !== 0x5f && (c !== 0x20 || !fromForm) && c !== 0x0a && c !== 0x0d) base64Only = false;
  }
  const couldBeHex = hexOnly && text.length >= 16;
  const couldBeBase64 = base64Only && upper && lower && text.length >= 12;
  return !couldBeHex && !couldBeBase64;
}

/**
 * The recursive decoder, as a loop over an explicit work list (deep nesting cannot overflow the
 * stack): each value is offered to the codecs that sniff it, most specific first, and the first
 * that succeeds replaces it with its children. Whatever no codec takes is a leaf. Budgets bound
 * depth, bytes and values; a failing codec is recorded and the next one tried.
 */
class Walk {
  private readonly budget: DecodeBudget;
  private readonly result: DecodeResult = { leaves: [], problems: [], opaque: [], bytesProduced: 0, nodes: 0, exhausted: false };
  private readonly work: Node[] = [];
  /** (chain, text) pairs already listed: the same value reached the same way is one leaf. */
  private readonly seen = new Set<string>();

  constructor(private readonly input: DecodeInput) {
    this.budget = { ...DEFAULT_DECODE_BUDGET, ...input.budget };
  }

  run(): DecodeResult {
    const { clock } = this.budget;
    const deadline = clock ? this.input.deadline : undefined;
    if (clock && deadline !== undefined && clock() > deadline) return this.outOfTime(this.input.root ?? []);
    this.work.push(this.rootNode());
    while (this.work.length > 0) {
      const node = this.work.pop()!;
      if (++this.result.nodes > this.budget.maxNodes) {
        this.exhaust(node.steps, 'walk', `more than ${this.budget.maxNodes} values`);
        break;
      }
      // The clock is read every 32 values: often enough to stop within a step or two of the limit.
      if (clock && deadline !== undefined && (this.result.nodes & 31) === 0 && clock() > deadline) return this.outOfTime(node.steps);
      if (node.kind === 'leaf') this.leafOf(node);
      else if (node.kind === 'text') this.visitText(node);
      else this.visitBytes(node);
    }
    return this.result;
  }

  private rootNode(): Node {
    const root = [...(this.input.root ?? [])];
    const { data, contentType, contentEncoding } = this.input;
    const typed = contentType === undefined ? {} : { contentType };
    if (typeof data === 'string') return { kind: 'text', text: data, steps: root, depth: 0, ...typed };
    if (!contentEncoding) return { kind: 'bytes', bytes: data, steps: root, depth: 0, ...typed };
    const decoded = undoContentEncoding(data, contentEncoding, root, this.stepCap());
    if (decoded.problem) this.problem(decoded.problem.steps, decoded.problem.codec, decoded.problem.reason, decoded.problem.detail);
    this.result.bytesProduced += decoded.produced;
    const steps = [...root, ...decoded.steps];
    return { kind: 'bytes', bytes: decoded.bytes, steps, depth: 0, ...typed, ...(decoded.overBudget ? { overBudget: decoded.overBudget } : {}) };
  }

  private context(node: Node): CodecContext {
    const context: CodecContext = { maxOutput: this.stepCap(), maxValues: Math.max(0, this.budget.maxNodes - this.result.nodes), depth: node.depth };
    const last = node.steps[node.steps.length - 1];
    if (last) context.lastStep = last;
    if (node.contentType !== undefined) context.contentType = node.contentType;
    return context;
  }

  private visitText(node: TextNode): void {
    if (inert(node.text, node.steps[node.steps.length - 1]?.codec === 'form')) {
      this.leafOf(node);
      return;
    }
    const context = this.context(node);
    const codecs = candidates(TEXT_CODECS, node.text, context);
    if (codecs.length > 0 && node.depth >= this.budget.maxDepth) {
      this.problem(node.steps, 'walk', 'depth', `stopped after ${this.budget.maxDepth} steps`);
    } else if (this.firstSuccess(node, node.text, codecs, context)) {
      return;
    }
    this.leafOf(node);
  }

  private visitBytes(node: BytesNode): void {
    if (node.bytes.length === 0) return;
    if (node.depth >= this.budget.maxDepth) {
      this.problem(node.steps, 'walk', 'depth', `stopped after ${this.budget.maxDepth} steps`);
      // Reading bytes as text takes no step, so the deepest text is still listed.
      const text = asText(node.bytes);
      if (text !== undefined) this.leaf(text, node.steps, node.mayRepeat === true);
      return;
    }
    const context = this.context(node);
    const codecs = candidates(BYTES_CODECS, node.bytes, context);
    if (this.firstSuccess(node, node.bytes, node.overBudget ? codecs.filter((c) => c.name !== node.overBudget) : codecs, context)) return;
    if (looksRandom(node.bytes)) this.opaque(node.bytes, node.steps);
  }

  private firstSuccess<T>(node: Node, value: T, codecs: Codec<T>[], context: CodecContext): boolean {
    for (const codec of codecs) {
      // Each attempt sees the budget as the previous attempts left it.
      context.maxOutput = this.stepCap();
      if (this.apply(node, safeDecode(codec, value, context), codec.name)) return true;
    }
    return false;
  }

  /** Takes a codec's outcome: records problems and opaque bytes, charges the budget, queues the children. */
  private apply(node: Node, outcome: Outcome, codec: string): boolean {
    if (!outcome.ok) {
      if (outcome.reason === 'budget' || outcome.reason === 'truncated') this.problem(node.steps, codec, outcome.reason, outcome.detail);
      if (outcome.opaque) this.opaque(outcome.opaque, [...node.steps, { codec }]);
      return false;
    }
    if (outcome.problem) this.problem(node.steps, codec, outcome.problem.reason, outcome.problem.detail);
    this.result.bytesProduced += outcome.bytes;
    if (this.result.bytesProduced > this.budget.maxTotalBytes) {
      this.exhaust(node.steps, codec, `decoded more than ${this.budget.maxTotalBytes} bytes`);
      if (node.kind === 'text') this.leafOf(node);
      return true;
    }
    if (outcome.keepLeaf && node.kind === 'text') this.leafOf(node);
    const base = outcome.mergeStep ? node.steps.slice(0, -1) : node.steps;
    const repeats = node.mayRepeat === true || siblingsRepeat(codec, outcome.children);
    const depth = outcome.mergeStep ? node.depth : node.depth + 1;
    const deferred: Node[] = [];
    for (const child of outcome.children) {
      if (child.kind === 'text' && child.step === undefined) {
        // Nothing was undone (bytes that are text): same chain, same depth, same Content-Type hint.
        deferred.push({ ...this.carried(node), kind: 'text', text: child.text });
        continue;
      }
      const steps = extend(base, child.step!);
      if (child.kind === 'leaf') this.leaf(child.text, steps, repeats);
      else if (child.kind === 'bytes') deferred.push({ kind: 'bytes', bytes: child.bytes, steps, depth, mayRepeat: repeats });
      // Plain strings (most JSON values) skip the sniffing.
      else deferred.push({ kind: inert(child.text, child.step?.codec === 'form') ? 'leaf' : 'text', text: child.text, steps, depth, mayRepeat: repeats, parent: child.parent });
    }
    // Pushed in reverse so the work list visits the rest in document order.
    for (let i = deferred.length - 1; i >= 0; i--) this.work.push(deferred[i]!);
    return true;
  }

  private carried(node: Node): NodeBase {
    const base = node.mayRepeat === true ? { steps: node.steps, depth: node.depth, mayRepeat: true } : { steps: node.steps, depth: node.depth };
    return node.contentType === undefined ? base : { ...base, contentType: node.contentType };
  }

  private leafOf(node: Node): void {
    if (node.kind !== 'bytes') this.leaf(node.text, node.steps, node.mayRepeat === true, node.parent);
  }

  private leaf(text: string, steps: DecodeStep[], checkRepeat: boolean, parent?: string): void {
    if (text === '') return;
    if (checkRepeat) {
      const key = `${chainKey(steps)}\u0002${text}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.result.leaves.push(parent === undefined ? { text, steps } : { text, steps, parent });
  }

  private opaque(bytes: Uint8Array, steps: DecodeStep[]): void {
    this.result.opaque.push({ steps: [...steps], bytes: bytes.length, entropy: Math.round(entropy(bytes) * 100) / 100 });
  }

  private problem(steps: DecodeStep[], codec: string, reason: DecodeFailure, detail?: string): void {
    // Any budget refusal means part of the input went unread.
    if (reason === 'budget') this.result.exhausted = true;
    if (this.result.problems.length >= MAX_PROBLEMS) return;
    this.result.problems.push(detail === undefined ? { steps: [...steps], codec, reason } : { steps: [...steps], codec, reason, detail });
  }

  private outOfTime(steps: readonly DecodeStep[]): DecodeResult {
    this.result.outOfTime = true;
    this.exhaust([...steps], 'walk', `stopped after ${this.budget.maxMillis} ms, the request's time budget`);
    return this.result;
  }

  private exhaust(steps: DecodeStep[], codec: string, detail: string): void {
    this.result.exhausted = true;
    this.problem(steps, codec, 'budget', detail);
    this.work.length = 0;
  }

  /** What one more step may produce: the per-step cap, or what is left of the total, if less. */
  private stepCap(): number {
    return Math.max(0, Math.min(this.budget.maxStepOutput, this.budget.maxTotalBytes - this.result.bytesProduced));
  }
}

/** Every string leaf of one request part, with its decode chain. Never throws. */
export function decode(input: DecodeInput): DecodeResult {
  try {
    return new Walk(input).run();
  } catch (error) {
    // A bug in the walk must never take the request (or the phone's connection) down with it.
    const detail = `decoder failed: ${error instanceof Error ? error.message : String(error)}`;
    return { leaves: [], problems: [{ steps: [...(input.root ?? [])], codec: 'walk', reason: 'invalid', detail }], opaque: [], bytesProduced: 0, nodes: 0, exhausted: true };
  }
}
