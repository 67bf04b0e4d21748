import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flow, TlsConnectionSeen } from '../../../../../appliance/src/model/index.js';
import { ImportError, readFlows } from '../../../../../appliance/src/sources/import/index.js';
import type { CaptureReadOptions, ImportProblem } from '../../../../../appliance/src/sources/import/index.js';
import { frame } from '../../../../fixtures/pcap/packets.js';
import type { IpAt } from '../../../../fixtures/pcap/tcp-conversation.js';
import type { TestPacket } from '../../../../fixtures/pcap/capture-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-pcap-'));
let count = 0;

export function captureFile(bytes: Buffer, name = `capture${count++}.pcap`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** IP packets framed for a link type, ready for a writer. */
export function framed(packets: readonly IpAt[], linkType: number, options: { vlan?: number } = {}): TestPacket[] {
  return packets.map((p) => ({ time: p.time, data: frame(linkType, p.ip, options) }));
}

export interface ReadResult {
  flows: Flow[];
  tls: TlsConnectionSeen[];
  problems: ImportProblem[];
  error?: ImportError;
}

export async function readCapture(path: string, options: Partial<CaptureReadOptions> = {}): Promise<ReadResult> {
  const result: ReadResult = { flows: [], tls: [], problems: [] };
  try {
    for await (const flow of readFlows(path, { fileIndex: 0, onProblem: (p) => result.problems.push(p), onTlsConnection: (c) => result.tls.push(c), ...options })) {
      result.flows.push(flow);
    }
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    result.error = error;
  }
  return result;
}
