export { decode } from './walk.js';
export type { DecodeBudget, DecodeInput, DecodeProblem, DecodeResult, Leaf, OpaqueBlob } from './types.js';
export { DEFAULT_DECODE_BUDGET } from './types.js';
