import { open } from 'node:fs/promises';
import type { Flow } from '../../model/index.js';
import { ImportError } from './errors.js';
import { readHarFlows } from './har.js';
import type { HarReadOptions } from './har.js';

export { ImportError } from './errors.js';
export type { ImportProblem, ImportProgress } from './errors.js';
export type { HarReadOptions } from './har.js';

export type ReadOptions = Omit<HarReadOptions, 'gzip'>;

const PCAP_MAGICS = ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a'];

/** Any capture file leakwatch reads, by its first bytes: HAR (plain or gzip-compressed). */
export async function* readFlows(path: string, options: ReadOptions): AsyncGenerator<Flow> {
  const head = await firstBytes(path);
  if (PCAP_MAGICS.includes(head.subarray(0, 4).toString('hex'))) {
    throw new ImportError('unsupported', path, 'pcap/pcapng import is not available yet (it arrives with packet capture support); export a HAR instead');
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  yield* readHarFlows(path, { ...options, gzip });
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
