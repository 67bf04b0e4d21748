import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../appliance/src/export/bundle.js';
import type { BundleInput, BundleManifest } from '../../../appliance/src/export/bundle.js';
import { NO_CAPTURE } from '../../../appliance/src/export/pcap-slice.js';
import { alert } from '../../integration/store/samples.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const CREATED = Date.parse('2026-11-02T08:00:00Z');
const har = { log: { version: '1.2', creator: { name: 'leakwatch', version: '0.1.0' }, entries: [] } } as unknown as BundleInput['har'];

function input(over: Partial<BundleInput> = {}): BundleInput {
  return {
    alert: alert('a1', 1), har, flows: [{ role: 'leak', url: 'https://sa.api.intl.miui.com/sa', id: 'flow-a1' }], pcap: NO_CAPTURE,
    applianceId: 'pi-lab', leakwatchVersion: '0.1.0', createdAt: CREATED, ...over,
  };
}

describe('buildBundle', () => {
  it('zips the alert, its HAR, a README, a manifest with each file\'s SHA-256, and SHA256SUMS over all of them', () => {
    const { zip, manifest } = buildBundle(input());
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'SHA256SUMS', 'alert.json', 'flows.har', 'manifest.json']);
    expect(JSON.parse(strFromU8(files['alert.json']!))).toEqual(alert('a1', 1));
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toEqual(manifest);
    expect(manifest).toMatchObject({
      format: 'leakwatch-evidence-bundle/1', createdAt: '2026-11-02T08:00:00.000Z', appliance: { id: 'pi-lab', leakwatchVersion: '0.1.0' },
      alert: { id: 'a1', device: 'phone-a', severity: 'high', confidence: 'confirmed' },
      pcap: NO_CAPTURE,
    });
    for (const f of manifest.files) expect(f).toEqual({ name: f.name, bytes: files[f.name]!.length, sha256: sha256(files[f.name]!) });
    expect(manifest.files.map((f) => f.name)).toEqual(['alert.json', 'flows.har', 'README.txt']);
    const sums = strFromU8(files['SHA256SUMS']!).trim().split('\n').map((line) => line.split('  '));
    expect(sums.map(([, name]) => name)).toEqual(['alert.json', 'flows.har', 'README.txt', 'manifest.json']);
    for (const [hash, name] of sums) expect(hash).toBe(sha256(files[name!]!));
    expect(strFromU8(files['README.txt']!)).toContain('sha256sum -c SHA256SUMS');
  });

  it('includes the packets a capture supplies, and says in the README and manifest when there are none', () => {
    const pcap = new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    const captured = buildBundle(input({ pcap: { status: 'captured', file: pcap, extension: 'pcap' } }));
    expect(unzipSync(captured.zip)['packets.pcap']).toEqual(pcap);
    expect(captured.manifest.pcap).toEqual({ status: 'captured', file: 'packets.pcap' });
    const none = unzipSync(buildBundle(input()).zip);
    expect(Object.keys(none).some((n) => n.startsWith('packets'))).toBe(false);
    expect(strFromU8(none['README.txt']!)).toContain('(no packets)   Not captured: this leakwatch has no packet capture yet');
  });

  it('still packs the alert when its requests are no longer stored, and lists them as missing', () => {
    const flows = [{ role: 'leak' as const, url: 'https://sa.api.intl.miui.com/sa', id: 'flow-a1', missing: 'no longer stored' }];
    const { zip, manifest } = buildBundle(input({ har: undefined, flows }));
    const files = unzipSync(zip);
    expect(files['flows.har']).toBeUndefined();
    expect((manifest as BundleManifest).flows).toEqual(flows);
    expect(strFromU8(files['README.txt']!)).toContain('flows.har      (absent) The requests behind this alert are no longer stored');
  });

  it('is the same bytes when made twice from the same input (zip times are the bundle\'s creation time)', () => {
    expect(Buffer.from(buildBundle(input()).zip)).toEqual(Buffer.from(buildBundle(input()).zip));
  });
});
