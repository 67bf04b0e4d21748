import { open } from 'node:fs/promises';
import type { Flow } from '../../model/index.js';
import { ImportError } from './errors.js';
import { readHar } from './har.js';
import { readCaptureFlows } from './pcap/read-capture.js';
import type { CaptureFormat, CaptureReadOptions } from './pcap/read-capture.js';

export { ImportError } from './errors.js';
export type { ImportErrorCode, ImportProblem, ImportProgress } from './errors.js';
export { readHarFlows } from './har.js';
export type { HarReadOptions } from './har.js';
export type { CaptureReadOptions } from './pcap/read-capture.js';

const CAPTURE_MAGICS: Record<string, CaptureFormat> = {
  a1b2c3d4: 'pcap', d4c3b2a1: 'pcap', a1b23c4d: 'pcap', '4d3cb2a1': 'pcap',
  '0a0d0d0a': 'pcapng',
};

/**
 * Any capture file leakwatch reads, told apart by its first bytes (never by its name): pcap,
 * pcapng, HAR plain or gzip-compressed. Anything else throws ImportError 'malformed' (the HAR
 * reader says what the file starts with).
 */
export async function* readFlows(path: string, options: CaptureReadOptions): AsyncGenerator<Flow> {
  const head = await firstBytes(path);
  const capture = CAPTURE_MAGICS[head.subarray(0, 4).toString('hex')];
  if (capture) {
    yield* readCaptureFlows(path, capture, options);
    return;
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
