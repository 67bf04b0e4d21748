import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { CertificateAuthority } from './ca.js';
import { KEY_ALGORITHM, privateKeyPem, randomSerial } from './ca.js';

/**
 * Leaf certificates made on demand for each name a client asks for (SNI, or the CONNECT target).
 * One long-lived leaf key signs them all: an ECDSA signature costs a few ms, a new key per host
 * would cost far more (STACK-NOTES). Validity stays under 45 days, as mockttp does, because
 * clients reject longer-lived leaves; the cache is bounded.
 */
export class LeafCertificates {
  private readonly cache = new Map<string, Promise<SecureContext>>();
  private leafKeys: Promise<{ keys: webcrypto.CryptoKeyPair; pem: string }> | undefined;

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly maxEntries = 1000,
  ) {}

  /** A TLS context presenting a certificate for `host` (a DNS name or an IP address). */
  contextFor(host: string): Promise<SecureContext> {
    const name = host.toLowerCase();
    let found = this.cache.get(name);
    if (found) {
      this.cache.delete(name);
      this.cache.set(name, found);
      return found;
    }
    found = this.issue(name);
    found.catch(() => this.cache.delete(name));
    this.cache.set(name, found);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return found;
  }

  private async issue(host: string): Promise<SecureContext> {
    return createSecureContext(await this.credentialsFor(host));
  }

  /** Key and certificate chain (PEM) for `host`, for servers that take them directly. */
  async credentialsFor(host: string): Promise<{ key: string; cert: string }> {
    const { keys, pem } = await this.keys();
    const san = isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host };
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      // Structured, not `CN=${host}`: a CONNECT target is client input and may hold `,` or `=`.
      subject: [{ CN: [host.slice(0, 64)] }],
      issuer: this.ca.certificate.subject,
      notBefore: new Date(Date.now() - 24 * 3600 * 1000),
      notAfter: new Date(Date.now() + 44 * 24 * 3600 * 1000),
      publicKey: keys.publicKey,
      signingKey: this.ca.privateKey,
      signingAlgorithm: KEY_ALGORITHM,
      extensions: [
        new x509.SubjectAlternativeNameExtension([san]),
        new x509.BasicConstraintsExtension(false),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ],
    });
    return { key: pem, cert: `${certificate.toString('pem')}\n${this.ca.certificatePem}` };
  }

  private keys(): Promise<{ keys: webcrypto.CryptoKeyPair; pem: string }> {
    this.leafKeys ??= (async () => {
      const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
      return { keys, pem: await privateKeyPem(keys.privateKey) };
    })();
    return this.leafKeys;
  }
}
