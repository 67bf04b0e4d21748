import type { DecodeStep } from '../../model/index.js';

/**
 * Limits for one request's decode walk. Every codec call is capped, so hostile input
 * (bombs, deep nesting, huge strings) costs at most these amounts.
 */
export interface DecodeBudget {
  /** How many codec steps deep a value may be (form → base64 → gzip → json is 4). */
  maxDepth: number;
  /** Bytes produced by all steps of one walk together. */
  maxTotalBytes: number;
  /** Bytes one decompression or decode step may produce. */
  maxStepOutput: number;
  /** Values (strings, binaries, containers) visited in one walk. */
  maxNodes: number;
  /** Milliseconds one request's decoding may take, by `clock`; what is left unread is counted. */
  maxMillis: number;
  /**
   * A monotonic clock in milliseconds (the appliance and analyze pass `performance.now`). Without
   * one there is no time limit: the pure decoder reads no clock of its own, so tests stay exact.
   */
  clock?: () => number;
}

/**
 * The bytes caps hold a Pi Zero 2 W's memory under decompression bombs (`npm run bench`, hostile
 * set, the service's malloc settings: peak RSS 231 MB with 16 and 8 MiB, 199 MB with these) while
 * leaving room for real telemetry: a whole inspected body (1 MiB by default) may expand four times
 * in one step.
 */
export const DEFAULT_DECODE_BUDGET: DecodeBudget = {
  maxDepth: 12,
  maxTotalBytes: 8 * 1024 * 1024,
  maxStepOutput: 4 * 1024 * 1024,
  maxNodes: 50_000,
  maxMillis: 200,
};

/** A string value reached by the walk that no codec turned into something else. */
export interface Leaf {
  text: string;
  /** Steps from the root input to this string (the root's own steps first). */
  steps: DecodeStep[];
  /** The decoded document this string was taken from (a JSON text), for evidence excerpts. */
  parent?: string | undefined;
}

/** Why a step stopped. Recorded, never thrown past the codec boundary. */
export type DecodeFailure = 'truncated' | 'budget' | 'invalid' | 'depth';

export interface DecodeProblem {
  steps: DecodeStep[];
  codec: string;
  reason: DecodeFailure;
  detail?: string;
}

/** Binary that no codec could read and that looks encrypted or random (high entropy, no magic). */
export interface OpaqueBlob {
  steps: DecodeStep[];
  bytes: number;
  /** Shannon entropy in bits per byte. */
  entropy: number;
}

export interface DecodeResult {
  leaves: Leaf[];
  problems: DecodeProblem[];
  opaque: OpaqueBlob[];
  /** Total bytes produced by all steps. */
  bytesProduced: number;
  /** Nodes visited. */
  nodes: number;
  /** True when a budget stopped the walk early. */
  exhausted: boolean;
  /** True when the time budget was the one. */
  outOfTime?: boolean;
}

export interface DecodeInput {
  /** The value to walk: a request body, a query value, a header value. */
  data: Uint8Array | string;
  /** Steps that led here (e.g. `[{ codec: 'query', at: 'data' }]`); empty for a body. */
  root?: DecodeStep[];
  /** Content-Type of a body, as a hint (form, multipart boundary, JSON, protobuf). */
  contentType?: string;
  /** Content-Encoding of a body. Tried first; if it fails the bytes are taken as they are,
   *  because HAR tools often store the already-decoded text with the header left in place. */
  contentEncoding?: string;
  budget?: Partial<DecodeBudget>;
  /** When the request's time is up, by `budget.clock` (all parts of one request share it). */
  deadline?: number;
}
