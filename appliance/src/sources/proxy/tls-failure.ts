/**
 * Why a client's TLS handshake with us failed, as a closed set of causes (mockttp's idea). A client
 * that rejects our certificate either says so with an alert (unknown CA, bad certificate) or just
 * hangs up; a browser also hangs up on spare connections it no longer needs. PinningJudge weighs
 * them (passthrough.ts).
 */
export type TlsFailureCause = 'cert-rejected' | 'closed' | 'reset' | 'timeout' | 'unknown';

export function classifyTlsFailure(error: { code?: string; message?: string } | undefined): TlsFailureCause {
  const text = `${error?.code ?? ''} ${error?.message ?? ''}`.toLowerCase();
  if (/unknown[_ ]ca|bad[_ ]certificate|certificate[_ ]unknown|unsupported[_ ]certificate|certificate[_ ]revoked|certificate[_ ]expired|access[_ ]denied/.test(text)) return 'cert-rejected';
  if (/econnreset/.test(text)) return 'reset';
  if (/etimedout|timeout/.test(text)) return 'timeout';
  if (text.trim() === '' || /socket hang up|ended by the other party|eof|closed/.test(text)) return 'closed';
  return 'unknown';
}
