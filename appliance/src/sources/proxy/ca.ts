import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256: small, fast, and accepted by Android, iOS and every browser. */
export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The appliance's own CA. The private key lives in the data dir (mode 0600) and is never served. */
export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  certificatePem: string;
  /** DER bytes, for Android's `.crt` download. */
  certificateDer: Uint8Array;
  privateKey: webcrypto.CryptoKey;
}

const CA_DAYS = 3650;

function caPaths(dataDir: string): { dir: string; cert: string; key: string } {
  const dir = join(dataDir, 'ca');
  return { dir, cert: join(dir, 'leakwatch-ca.pem'), key: join(dir, 'leakwatch-ca.key') };
}

/** Loads the CA from `<dataDir>/ca/`, creating it on first start. */
export async function loadOrCreateCa(dataDir: string): Promise<CertificateAuthority> {
  const paths = caPaths(dataDir);
  let certPem: string | undefined;
  let keyPem: string | undefined;
  try {
    [certPem, keyPem] = await Promise.all([readFile(paths.cert, 'utf8'), readFile(paths.key, 'utf8')]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (certPem && keyPem) return fromPem(certPem, keyPem);
  const created = await createCa();
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await chmod(paths.dir, 0o700);
  await writeFile(paths.key, await privateKeyPem(created.privateKey), { mode: 0o600 });
  await chmod(paths.key, 0o600);
  await writeFile(paths.cert, created.certificatePem, { mode: 0o600 });
  return created;
}

async function createCa(): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    // A name of its own per appliance: a phone that trusts one appliance's CA must not take
    // another's certificates for it (OpenSSL finds issuers by name).
    name: `CN=leakwatch appliance CA ${randomSerial().slice(0, 8)}, O=leakwatch`,
    notBefore: new Date(Date.now() - 24 * 3600 * 1000),
    notAfter: new Date(Date.now() + CA_DAYS * 24 * 3600 * 1000),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, certificatePem: certificate.toString('pem'), certificateDer: new Uint8Array(certificate.rawData), privateKey: keys.privateKey };
}

async function fromPem(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(certPem);
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign']);
  return { certificate, certificatePem: certificate.toString('pem'), certificateDer: new Uint8Array(certificate.rawData), privateKey };
}

export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
