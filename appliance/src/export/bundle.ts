import { strToU8 } from 'fflate';
import type { Alert } from '../model/index.js';
import { bundleReadme } from './bundle-readme.js';
import { jsonBytes, sealedZip } from './sealed-zip.js';
import type { ManifestFile } from './sealed-zip.js';
import type { Har, HarEntryRole } from './har-format.js';
import type { PcapSlice } from './pcap-slice.js';

/** A flow the alert points to, and whether the store still has it. */
export interface BundleFlow {
  role: HarEntryRole;
  url: string;
  /** The stored flow's id; absent for a page load that was not found. */
  id?: string;
  /** Why it is not in flows.har; absent when it is. */
  missing?: string;
}

export interface BundleInput {
  alert: Alert;
  /** The stored flows as a HAR; undefined when none of them is stored any more. */
  har: Har | undefined;
  flows: BundleFlow[];
  pcap: PcapSlice;
  applianceId: string;
  leakwatchVersion: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export type { ManifestFile } from './sealed-zip.js';

export interface BundleManifest {
  format: 'leakwatch-evidence-bundle/1';
  createdAt: string;
  appliance: { id: string; leakwatchVersion: string };
  alert: { id: string; time: string; device: string; severity: string; confidence: string };
  /** Every file of the bundle but this manifest and SHA256SUMS, which lists them all. */
  files: ManifestFile[];
  flows: BundleFlow[];
  pcap: { status: 'captured'; file: string } | { status: 'not captured'; reason: string };
}

/**
 * The evidence bundle of one alert as a zip: alert.json, flows.har, the packets when a capture
 * supplied them, README.txt, manifest.json (SHA-256 of each file, appliance, version, time) and
 * SHA256SUMS (`sha256sum -c` format, covering the manifest too).
 */
export function buildBundle(input: BundleInput): { zip: Uint8Array; manifest: BundleManifest } {
  const files = new Map<string, Uint8Array>();
  files.set('alert.json', jsonBytes(input.alert));
  if (input.har) files.set('flows.har', jsonBytes(input.har));
  let pcap: BundleManifest['pcap'];
  if (input.pcap.status === 'captured') {
    pcap = { status: 'captured', file: `packets.${input.pcap.extension}` };
    files.set(pcap.file, input.pcap.file);
  } else pcap = { status: 'not captured', reason: input.pcap.reason };
  files.set('README.txt', strToU8(bundleReadme({ alertId: input.alert.id, hasHar: input.har !== undefined, pcap })));

  let manifest: BundleManifest | undefined;
  const zip = sealedZip(files, (listed) => (manifest = {
    format: 'leakwatch-evidence-bundle/1',
    createdAt: new Date(input.createdAt).toISOString(),
    appliance: { id: input.applianceId, leakwatchVersion: input.leakwatchVersion },
    alert: { id: input.alert.id, time: input.alert.time, device: input.alert.device, severity: input.alert.severity, confidence: input.alert.confidence },
    files: listed,
    flows: input.flows,
    pcap,
  }), input.createdAt);
  return { zip, manifest: manifest! };
}
