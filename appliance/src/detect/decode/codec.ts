import type { DecodeStep } from '../../model/index.js';
import type { DecodeFailure } from './types.js';

/**
 * The codec contract (after mitmproxy's contentviews): `sniff` says, cheaply, how sure a codec is
 * that a value is its format (a number < 0 means "not mine"), and `decode` undoes it. The walk
 * offers each value to the codecs that sniffed it, most specific first; the first success wins.
 */

/** What a codec hands back to the walk: values to visit next, each with the step that produced it. */
export type Child =
  /** `step` is absent when nothing was undone (bytes that are simply UTF-8 text). */
  | { kind: 'text'; text: string; step?: DecodeStep; parent?: string }
  | { kind: 'bytes'; bytes: Uint8Array; step: DecodeStep }
  /** A value that is final as it is (a URL-like JSON key, an extracted string run). */
  | { kind: 'leaf'; text: string; step: DecodeStep };

export type Outcome =
  | {
      ok: true;
      children: Child[];
      /** Bytes this step produced, charged to the walk's budget. */
      bytes: number;
      /** The input also stays a leaf (a URL whose query was walked). */
      keepLeaf?: boolean;
      /** The children's steps replace the input's last step (nested protobuf paths read `2.1`). */
      mergeStep?: boolean;
      /** Something went wrong, but what decoded is still walked (a truncated gzip). */
      problem?: { reason: DecodeFailure; detail: string };
    }
  | {
      ok: false;
      reason: DecodeFailure;
      detail?: string;
      /** Decoded bytes that look encrypted or random: reported as opaque, never walked. */
      opaque?: Uint8Array;
    };

/** What a codec may know about where its value sits. */
export interface CodecContext {
  /** Bytes this one step may produce. */
  maxOutput: number;
  /** Values one structured document (JSON) may list. */
  maxValues: number;
  /** Steps taken so far to reach the value. */
  depth: number;
  /** The step that reached the value, if any. */
  lastStep?: DecodeStep;
  /** The request's Content-Type, for the root value only. */
  contentType?: string;
}

export interface Codec<T> {
  /** The step label in evidence chains (`base64`, `gzip`, `json`). */
  name: string;
  /** Priority: higher is tried first; below 0, the codec does not apply. Must be cheap. */
  sniff(value: T, context: CodecContext): number;
  /** Never throws by contract; the registry still guards every call. */
  decode(value: T, context: CodecContext): Outcome;
}

export type TextCodec = Codec<string>;
export type BytesCodec = Codec<Uint8Array>;

export const NOT_MINE = -1;

export const fail = (reason: DecodeFailure, detail?: string): Outcome => (detail === undefined ? { ok: false, reason } : { ok: false, reason, detail });
