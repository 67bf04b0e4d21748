import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerCertificate {
  /** PEM of the CA that signed the certificate: what a client trusts. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A throw-away CA (made with openssl) and a server certificate it signs for 127.0.0.1 and localhost. */
export function makeServerCertificate(dir: string, name: string): ServerCertificate {
  const file = (suffix: string) => join(dir, `${name}-${suffix}`);
  const [caFile, caKey, csr, certFile, keyFile, ext] = ['ca.pem', 'ca.key', 'server.csr', 'server.pem', 'server.key', 'ext.cnf'].map(file) as [string, string, string, string, string, string];
  openssl(['req', '-x509', ...EC_KEY, '-days', '2', '-subj', `/CN=${name} test CA`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-keyout', caKey, '-out', caFile]);
  openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=localhost', '-keyout', keyFile, '-out', csr]);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', certFile]);
  return { caFile, certFile, keyFile };
}
