/**
 * The lab's certificates: a lab CA that signs the internet's sites (the appliance trusts it through
 * its config, as it would trust the public roots), and one self-signed certificate nobody trusts.
 */
import { join } from 'node:path';
import { loadOrCreateCa } from '../../appliance/src/sources/proxy/ca.js';
import { run } from './host.js';
import { NAMES } from './topology.js';

export interface LabCertificates {
  /** Data dir of the lab CA (`ca/leakwatch-ca.pem` and its key), read by the internet's sites. */
  labCaDir: string;
  /** The lab CA certificate (PEM): what a client or the appliance trusts to reach the lab's sites. */
  labCaFile: string;
  selfSigned: { cert: string; key: string };
}

export async function makeCertificates(dir: string): Promise<LabCertificates> {
  const labCaDir = join(dir, 'lab-ca');
  await loadOrCreateCa(labCaDir);
  const selfSigned = { cert: join(dir, 'self-signed.pem'), key: join(dir, 'self-signed.key') };
  run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${NAMES.untrusted}`, '-addext', `subjectAltName=DNS:${NAMES.untrusted}`,
    '-keyout', selfSigned.key, '-out', selfSigned.cert,
  ]);
  return { labCaDir, labCaFile: join(labCaDir, 'ca', 'leakwatch-ca.pem'), selfSigned };
}
