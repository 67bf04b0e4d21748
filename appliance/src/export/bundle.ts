import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { Alert } from '../model/index.js';
import { bundleReadme } from './bundle-readme.js';
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

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

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

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown): Uint8Array => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The evidence bundle of one alert as a zip: alert.json, flows.har, the packets when a capture
 * supplied them, README.txt, manifest.json (SHA-256 of each file, appliance, version, time) and
 * SHA256SUMS (`sha256sum -c` format, covering the manifest too).
 */
export function buildBundle(input: BundleInput): { zip: Uint8Array; manifest: BundleManifest } {
  const files = new Map<string, Uint8Array>();
  files.set('alert.json', json(input.alert));
  if (input.har) files.set('flows.har', json(input.har));
  let pcap: BundleManifest['pcap'];
  if (input.pcap.status === 'captured') {
    pcap = { status: 'captured', file: `packets.${input.pcap.extension}` };
    files.set(pcap.file, input.pcap.file);
  } else pcap = { status: 'not captured', reason: input.pcap.reason };
  files.set('README.txt', strToU8(bundleReadme({ alertId: input.alert.id, hasHar: input.har !== undefined, pcap })));

  const manifest: BundleManifest = {
    format: 'leakwatch-evidence-bundle/1',
    createdAt: new Date(input.createdAt).toISOString(),
    appliance: { id: input.applianceId, leakwatchVersion: input.leakwatchVersion },
    alert: { id: input.alert.id, time: input.alert.time, device: input.alert.device, severity: input.alert.severity, confidence: input.alert.confidence },
    files: [...files].map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256(bytes) })),
    flows: input.flows,
    pcap,
  };
  files.set('manifest.json', json(manifest));
  files.set('SHA256SUMS', strToU8([...files].map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`).join('')));

  // One fixed time for every entry: the bundle's own creation time, not the zip library's clock.
  const mtime = new Date(input.createdAt);
  const zip = zipSync(Object.fromEntries([...files].map(([name, bytes]) => [name, [bytes, { mtime }]])));
  return { zip, manifest };
}
