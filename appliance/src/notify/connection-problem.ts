/**
 * Turns an MQTT connection error into a sentence that says what to change. mqtt.js reports the
 * broker's refusal as "Connection refused: Not authorized" and TLS failures as OpenSSL codes; a
 * person reading the journal needs the setting to fix, not the code.
 */
const REFUSED_LOGIN = new Set([4, 5, 134, 135]);

const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

export function connectionProblem(url: string, error: Error & { code?: string | number }): string {
  const where = `MQTT broker ${url}`;
  const { code } = error;
  if (typeof code === 'number' && REFUSED_LOGIN.has(code)) {
    return `${where} refused leakwatch's login (${error.message}): check mqtt.username and mqtt.password against the broker's users`;
  }
  if (typeof code === 'string' && UNTRUSTED_CERTIFICATE.has(code)) {
    return `${where}: its TLS certificate is not trusted (${error.message}); set mqtt.caFile to the PEM of the CA that signed the broker's certificate`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `${where}: its TLS certificate is outside its validity period (${error.message}); renew the broker's certificate or check this machine's clock`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `${where}: its TLS certificate does not name this host (${error.message}); put a name or address the certificate lists in mqtt.url`;
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return `${where} cannot be reached (${code}); alerts stay in the outbox until it is`;
  }
  return `${where}: ${error.message}`;
}
