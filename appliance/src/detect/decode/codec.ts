import type { DecodeStep } from '../../model/index.js';
import type { DecodeFailure } from './types.js';

/** What a codec hands back to the walk: values to visit next, each with the step that produced it. */
export type Child =
  | { kind: 'text'; text: string; step: DecodeStep; parent?: string }
  | { kind: 'bytes'; bytes: Uint8Array; step: DecodeStep }
  /** A value that is final as it is (a URL-like JSON key, an extracted string run). */
  | { kind: 'leaf'; text: string; step: DecodeStep };

export type Outcome =
  | { ok: true; children: Child[]; bytes: number; keepLeaf?: boolean; problem?: { reason: DecodeFailure; detail: string } }
  | { ok: false; reason: DecodeFailure; detail?: string };

/** Per-call limits a codec must respect. */
export interface StepLimits {
  /** Bytes this one step may produce. */
  maxOutput: number;
}

export const fail = (reason: DecodeFailure, detail?: string): Outcome => (detail === undefined ? { ok: false, reason } : { ok: false, reason, detail });
