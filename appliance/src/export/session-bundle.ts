import { strToU8 } from 'fflate';
import type { SessionVerdict } from '../canary/verdict.js';
import type { Alert } from '../model/index.js';
import type { FlowStore, StoredFlow } from '../store/flows.js';
import { buildHar } from './har.js';
import type { HarEntryRole } from './har-format.js';
import type { PcapSlice } from './pcap-slice.js';
import { jsonBytes, sealedZip } from './sealed-zip.js';

export interface SessionBundleInput {
  verdict: SessionVerdict;
  markdown: string;
  alerts: readonly Alert[];
  flows: FlowStore;
  appliance: { id: string; version: string };
  createdAt: number;
  packets?: Promise<PcapSlice>;
}

/**
 * A canary session's report to keep or publish: report.md and report.json, evidence.har (every
 * request that carried a canary, and the canary page loads), the device's packets over the
 * session when captured, manifest.json and SHA256SUMS.
 */
export async function buildSessionBundle(input: SessionBundleInput): Promise<Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set('report.md', strToU8(input.markdown));
  files.set('report.json', jsonBytes(input.verdict));
  const stored: { flow: StoredFlow; role: HarEntryRole }[] = [];
  const seen = new Set<string>();
  const add = (flow: StoredFlow | undefined, role: HarEntryRole) => {
    if (!flow || seen.has(flow.id)) return;
    seen.add(flow.id);
    stored.push({ flow, role });
  };
  for (const a of input.alerts) add(input.flows.get(a.flow.id), 'leak');
  for (const r of input.verdict.rounds) for (const visit of input.flows.search({ limit: 20, host: r.canaries.host }).flows) add(input.flows.get(visit.id), 'navigation');
  if (stored.length > 0) {
    files.set('evidence.har', jsonBytes(buildHar(stored, {
      applianceId: input.appliance.id, leakwatchVersion: input.appliance.version, nodeVersion: process.version, exportedAt: input.createdAt,
      device: input.verdict.device ?? 'any device on the hotspot',
    })));
  }
  const pcap: PcapSlice = input.packets ? await input.packets.catch((error: Error) => ({ status: 'not captured' as const, reason: `reading the packet capture failed (${error.message})` })) : { status: 'not captured', reason: 'packet capture is off, or the session names no device' };
  if (pcap.status === 'captured') files.set(`packets.${pcap.extension}`, pcap.file);
  return sealedZip(files, (listed) => ({
    format: 'leakwatch-canary-report/1',
    createdAt: new Date(input.createdAt).toISOString(),
    appliance: { id: input.appliance.id, leakwatchVersion: input.appliance.version },
    session: input.verdict.session,
    files: listed,
    pcap: pcap.status === 'captured' ? { status: 'captured', file: `packets.${pcap.extension}` } : pcap,
  }), input.createdAt);
}
