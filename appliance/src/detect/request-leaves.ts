import type { Flow } from '../model/index.js';
import { decode } from './decode/index.js';
import type { DecodeBudget, Leaf } from './decode/types.js';
import { DEFAULT_DECODE_BUDGET } from './decode/types.js';
import { renameQuerySteps, requestParts } from './parts.js';

/** A leaf of one request, tagged with the part it came from. */
export interface RequestLeaf extends Leaf {
  part: 'query' | 'body' | 'other';
  /**
   * The text lowercased, and in canonical URL form when it holds a URL: worked out once, since a
   * request kept for look-back is scanned again by every page the device loads after it. Present
   * (undefined) from the start, so every leaf has one shape for the engine.
   */
  lower: string | undefined;
  canonical: string | undefined;
}

export interface DecodedRequest {
  leaves: RequestLeaf[];
  /** Largest unreadable high-entropy blob in the query or body, in bytes (0 if none). */
  largestOpaque: number;
  /** The time budget ran out: part of the request went unread. */
  outOfTime: boolean;
}

/** Every string a request carries, decoded through all its layers, with the chain that reached it. */
export function decodeRequest(flow: Flow, maxBodyBytes: number, budget: Partial<DecodeBudget>): DecodedRequest {
  const leaves: RequestLeaf[] = [];
  let largestOpaque = 0;
  let outOfTime = false;
  // One time budget for the whole request, shared by its parts.
  const deadline = budget.clock ? budget.clock() + (budget.maxMillis ?? DEFAULT_DECODE_BUDGET.maxMillis) : undefined;
  for (const input of requestParts(flow, maxBodyBytes)) {
    const fromQuery = input.contentType !== undefined && input.root?.length === 0 && typeof input.data === 'string';
    const part: RequestLeaf['part'] = fromQuery ? 'query' : input.root?.length === 0 ? 'body' : 'other';
    const result = decode({ ...input, budget, ...(deadline !== undefined ? { deadline } : {}) });
    outOfTime ||= result.outOfTime === true;
    for (const leaf of result.leaves) {
      const steps = renameQuerySteps(leaf.steps, fromQuery);
      leaves.push({ text: leaf.text, steps, parent: leaf.parent, part, lower: undefined, canonical: undefined });
    }
    // Header values (auth tokens, nonces) are random by design: only payloads count as opaque telemetry.
    if (part !== 'other') for (const blob of result.opaque) largestOpaque = Math.max(largestOpaque, blob.bytes);
  }
  return { leaves, largestOpaque, outOfTime };
}
