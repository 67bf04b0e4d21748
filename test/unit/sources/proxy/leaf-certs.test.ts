// @peculiar/x509 needs the Reflect polyfill before it loads.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../../../appliance/src/sources/proxy/ca.js';
import type { CertificateAuthority } from '../../../../appliance/src/sources/proxy/ca.js';
import { LeafCertificates } from '../../../../appliance/src/sources/proxy/leaf-certs.js';

const DAY_MS = 24 * 3600 * 1000;
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await loadOrCreateCa(mkdtempSync(join(tmpdir(), 'lw-leaf-')));
});

async function leafFor(leaves: LeafCertificates, host: string): Promise<x509.X509Certificate> {
  const { cert } = await leaves.credentialsFor(host);
  const [leafPem, caPem] = cert.split(/\n(?=-----BEGIN CERTIFICATE-----)/);
  expect(caPem?.trim()).toBe(ca.certificatePem.trim());
  return new x509.X509Certificate(leafPem!);
}

describe('leaf certificates', () => {
  it.each([
    ['a DNS name', 'sa.api.intl.miui.com', { type: 'dns', value: 'sa.api.intl.miui.com' }],
    ['an IPv4 address', '10.99.0.20', { type: 'ip', value: '10.99.0.20' }],
    ['an IPv6 address', '2001:db8::1', { type: 'ip', value: '2001:db8::1' }],
  ])('name %s in the subject alternative name, signed by the appliance CA', async (_kind, host, san) => {
    const leaf = await leafFor(new LeafCertificates(ca), host);
    expect(leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON()).toEqual([san]);
    expect(leaf.issuer).toBe(ca.certificate.subject);
    expect(await leaf.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })).toBe(true);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
  });

  it('are valid for at most 45 days, from a day back (clock skew on the phone)', async () => {
    const leaf = await leafFor(new LeafCertificates(ca), 'news.example');
    const span = leaf.notAfter.getTime() - leaf.notBefore.getTime();
    expect(span).toBeLessThanOrEqual(45 * DAY_MS);
    expect(span).toBeGreaterThan(45 * DAY_MS - 2000);
  });

  it('carry a client-supplied name as one common name, whatever characters it holds', async () => {
    const leaf = await leafFor(new LeafCertificates(ca), 'odd,O=evil.example');
    expect(leaf.subjectName.getField('CN')).toEqual(['odd,O=evil.example']);
    expect(leaf.subjectName.getField('O')).toEqual([]);
  });

  it('share one leaf key, so a new host costs a signature, not a key generation', async () => {
    const leaves = new LeafCertificates(ca);
    const [a, b] = await Promise.all([leaves.credentialsFor('a.example'), leaves.credentialsFor('b.example')]);
    expect(a.key).toBe(b.key);
    expect(a.cert).not.toBe(b.cert);
  });

  it('are cached per host, case-insensitively, least recently used evicted first', async () => {
    const leaves = new LeafCertificates(ca, 2);
    const a = leaves.contextFor('a.example');
    const b = leaves.contextFor('b.example');
    expect(leaves.contextFor('A.Example')).toBe(a);
    const c = leaves.contextFor('c.example');
    expect(leaves.contextFor('a.example')).toBe(a);
    const bAgain = leaves.contextFor('b.example');
    expect(bAgain).not.toBe(b);
    await Promise.all([a, b, c, bAgain]);
  });
});
