// @peculiar/x509 needs the Reflect polyfill before it loads.
import 'reflect-metadata';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../../../appliance/src/sources/proxy/ca.js';

const root = mkdtempSync(join(tmpdir(), 'lw-ca-'));

describe('the appliance CA', () => {
  it('is made on first start in <dataDir>/ca/ with the key readable by the owner only', async () => {
    const dataDir = join(root, 'first');
    const ca = await loadOrCreateCa(dataDir);
    expect(statSync(join(dataDir, 'ca')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'ca/leakwatch-ca.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'ca/leakwatch-ca.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(join(dataDir, 'ca/leakwatch-ca.pem'), 'utf8')).toBe(ca.certificatePem);
  });

  it('is an ECDSA P-256 CA that may sign leaves only (path length 0), and signed by itself', async () => {
    const ca = await loadOrCreateCa(join(root, 'shape'));
    expect(ca.certificate.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(ca.certificate.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    const constraints = ca.certificate.getExtension(x509.BasicConstraintsExtension);
    expect({ ca: constraints?.ca, pathLength: constraints?.pathLength, critical: constraints?.critical }).toEqual({ ca: true, pathLength: 0, critical: true });
    expect(ca.certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(await ca.certificate.isSelfSigned()).toBe(true);
    expect(ca.certificatePem).not.toMatch(/PRIVATE KEY/);
    expect(new x509.X509Certificate(ca.certificateDer).equal(ca.certificate)).toBe(true);
  });

  it('is loaded, not remade, on the next start: same certificate, and the key still signs for it', async () => {
    const dataDir = join(root, 'reload');
    const first = await loadOrCreateCa(dataDir);
    const again = await loadOrCreateCa(dataDir);
    expect(again.certificatePem).toBe(first.certificatePem);
    const probe = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=probe', keys: { privateKey: again.privateKey, publicKey: await again.certificate.publicKey.export() }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    expect(await probe.verify({ publicKey: first.certificate.publicKey, signatureOnly: true })).toBe(true);
  });

  it('has a name of its own on each appliance', async () => {
    const a = await loadOrCreateCa(join(root, 'a'));
    const b = await loadOrCreateCa(join(root, 'b'));
    expect(a.certificate.subject).toMatch(/^CN=leakwatch appliance CA [0-9a-f]{8}, O=leakwatch$/);
    expect(a.certificate.subject).not.toBe(b.certificate.subject);
  });
});
