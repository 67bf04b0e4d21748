import type { Probe, Probes, SelfTestAnswer } from '../logic/selftest.js';

const TIMEOUT_MS = 6000;

/** A fresh label, so no cache (the browser's, DNS's) can answer for the appliance. */
function nonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => 'abcdefghjkmnpqrstuvwxyz23456789'[b % 31]).join('');
}

/** One test request from this browser; only the appliance's proxy answers these names. */
async function probe(url: string): Promise<Probe> {
  try {
    const response = await fetch(url, { mode: 'cors', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { ok: false, reason: `answered ${response.status}, not by the appliance` };
    const answer = (await response.json().catch(() => undefined)) as SelfTestAnswer | undefined;
    return answer?.leakwatch === 'self-test' ? { ok: true, answer } : { ok: false, reason: 'answered, but not by the appliance' };
  } catch (error) {
    return { ok: false, reason: (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : 'the connection failed' };
  }
}

/**
 * The page's side of the self-test. Over plain HTTP the address and name probes use HTTP (an HTTPS
 * page may not fetch HTTP); the certificate probe is always HTTPS.
 */
export async function runProbes(domain: string, address: string): Promise<Probes> {
  const scheme = location.protocol === 'https:' ? 'https' : 'http';
  const [byAddress, byName, https] = await Promise.all([
    probe(`${scheme}://${address}/leakwatch-self-test/${nonce()}`),
    probe(`${scheme}://${nonce()}.${domain}/`),
    probe(`https://${nonce()}.${domain}/`),
  ]);
  return { byAddress, byName, https };
}
