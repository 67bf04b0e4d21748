import { open } from 'node:fs/promises';
import type { Flow } from '../../model/index.js';
import { ImportError } from './errors.js';
import { readHar } from './har.js';
import type { HarReadOptions } from './har.js';

export { ImportError } from './errors.js';
export type { ImportErrorCode, ImportProblem, ImportProgress } from './errors.js';
export { readHarFlows } from './har.js';
export type { HarReadOptions } from './har.js';

const PCAP_MAGICS = ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a'];

/**
 * Any capture file leakwatch reads, told apart by its first bytes: HAR, plain or gzip-compressed.
 * Anything else throws ImportError: 'unsupported' for pcap/pcapng, 'malformed' for the rest (the
 * HAR reader says what the file starts with).
 */
export async function* readFlows(path: string, options: HarReadOptions): AsyncGenerator<Flow> {
  const head = await firstBytes(path);
  if (PCAP_MAGICS.includes(head.subarray(0, 4).toString('hex'))) {
    throw new ImportError('unsupported', path, 'pcap/pcapng import is not available yet (it arrives with packet capture support); export a HAR instead');
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  yield* readHar(path, options, { gzip });
}

async function firstBytes(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ImportError('unreadable', path, `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
