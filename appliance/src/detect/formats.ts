import type { Flow } from '../model/index.js';
import type { Leaf } from './decode/types.js';

/**
 * Telemetry formats recognised by their shape (TELEMETRY-FACTS.md §2.6, §3). A recognised format is
 * named in the evidence; an encrypted one is reported as opaque telemetry, never as an alert.
 */
export interface FormatVerdict {
  format: string;
  /** The payload is encrypted by the SDK: nothing readable, only the fact it was sent. */
  encrypted: boolean;
}

function formValue(leaves: readonly Leaf[], key: string): string | undefined {
  return leaves.find((l) => l.steps.length === 1 && l.steps[0]!.codec === 'form' && l.steps[0]!.at === key)?.text;
}

function hasFormKey(leaves: readonly Leaf[], key: string): boolean {
  return leaves.some((l) => l.steps[0]?.codec === 'form' && l.steps[0].at === key);
}

export function recogniseFormat(flow: Flow, bodyLeaves: readonly Leaf[], queryLeaves: readonly Leaf[]): FormatVerdict | undefined {
  const gzip = formValue(bodyLeaves, 'gzip');
  if (gzip !== undefined && (formValue(bodyLeaves, 'crc') !== undefined || hasFormKey(bodyLeaves, 'data_list'))) {
    // Sensors Analytics: gzip=1 plain, 9 per-event encryption, 13 transport encryption (§2.1).
    if (gzip === '9' || gzip === '13') return { format: `sensors-analytics (encrypted, gzip=${gzip})`, encrypted: true };
    return { format: 'sensors-analytics', encrypted: false };
  }
  if (hasFormKey(bodyLeaves, 'data_list')) return { format: 'sensors-analytics', encrypted: false };
  if (hasFormKey(queryLeaves, 'data') && (formValue(queryLeaves, 'ext') ?? '').startsWith('crc=')) {
    return { format: 'sensors-analytics (js)', encrypted: false };
  }
  if (/[?&]tt[_-]data=a(?:&|$)/.test(flow.url) || startsWith(flow.body, [0x74, 0x63, 0x02, 0x01])) {
    return { format: 'bytedance applog (ttEncrypt)', encrypted: true };
  }
  if (/\/common\/(?:hmshi|common2)/.test(flow.url)) return { format: 'huawei hianalytics', encrypted: true };
  if (/\/mistats(?:\/v[23])?\b/.test(flow.url) && formValue(bodyLeaves, 'stat_value') !== undefined) {
    return { format: 'xiaomi mistat (encrypted stat_value)', encrypted: true };
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
