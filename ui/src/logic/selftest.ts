import type { SelfTestReport } from '../api/types.js';
import { plural } from './format.js';

/** The answer the proxy gives to a self-test request (appliance/src/sources/proxy/self-test-answer.ts). */
export interface SelfTestAnswer {
  leakwatch: 'self-test';
  client: string;
  scheme: 'http' | 'https';
  host: string;
  time: number;
}

/** What one of the page's own test requests got. */
export type Probe = { ok: true; answer: SelfTestAnswer } | { ok: false; reason: string };

export interface Probes {
  /** To the self-test address itself (no DNS needed): does web traffic reach the proxy? */
  byAddress: Probe;
  /** To a fresh self-test name: did the appliance's DNS answer, and the proxy? */
  byName: Probe;
  /** HTTPS to a fresh self-test name: does this browser trust the appliance CA? */
  https: Probe;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export interface Check {
  id: 'hotspot' | 'proxy' | 'dns' | 'ca' | 'quic' | 'private-dns';
  title: string;
  status: CheckStatus;
  /** What was seen. */
  detail: string;
  /** What to do, when something is wrong. */
  fix?: string;
}

export interface SelfTestInput {
  report: SelfTestReport;
  probes: Probes;
  /** The address the page was opened at (the hotspot address on the Pi). */
  pageHost: string;
}

const PRIVATE_DNS_OFF = 'Turn off Private DNS (Android: Settings → Network & internet → Private DNS → Off) and secure DNS in the browser (Chrome: Settings → Privacy and security → Use secure DNS → Off), and any VPN.';

/** Every line of the self-test, each with what was seen and, when it fails, the fix. */
export function evaluateSelfTest({ report, probes, pageHost }: SelfTestInput): Check[] {
  return [hotspot(report, pageHost), proxy(report, probes), dns(report, probes), ca(report, probes), quic(report), privateDns(report)];
}

function hotspot(r: SelfTestReport, pageHost: string): Check {
  const title = 'This phone is on the hotspot and known by its MAC';
  const c = r.client;
  if (c.loopback) return { id: 'hotspot', title, status: 'fail', detail: 'This page was opened on the appliance itself (loopback), not from a phone.', fix: `Open it from the phone, joined to the appliance's Wi-Fi: http://${pageHost}/ or the address the installer printed.` };
  if (c.mac) {
    const what = [c.hostname, c.randomisedMac ? 'a private (randomised) MAC' : c.vendor].filter(Boolean).join(', ');
    return { id: 'hotspot', title, status: 'pass', detail: `Known as ${c.mac}${what ? ` (${what})` : ''}, address ${c.ip}.` };
  }
  if (r.mode === 'explicit') return { id: 'hotspot', title, status: 'warn', detail: `Explicit-proxy mode: devices are told apart by address (${c.ip}), not by MAC.` };
  return { id: 'hotspot', title, status: 'fail', detail: `The appliance knows this phone only by its address ${c.ip}: no DHCP lease or neighbour entry names its MAC.`, fix: "Forget the appliance's Wi-Fi on the phone and join it again, so it gets its address from the appliance's DHCP." };
}

function proxy(r: SelfTestReport, p: Probes): Check {
  const title = "Its web traffic goes through the appliance's proxy";
  if (p.byAddress.ok) {
    const via = p.byAddress.answer.client;
    if (via === r.client.ip) return { id: 'proxy', title, status: 'pass', detail: `A request to ${r.names.address} (an address that is nowhere) came back marked by the appliance's proxy.` };
    return { id: 'proxy', title, status: 'warn', detail: `The proxy answered, but saw the request come from ${via}, not from this phone (${r.client.ip}): something between them rewrites addresses.` };
  }
  const fix = r.mode === 'transparent'
    ? "Join the appliance's Wi-Fi and turn off mobile data and any VPN on the phone; then run the test again."
    : "Set this device's HTTP proxy (Wi-Fi settings → Proxy → Manual) to the appliance's address and proxy port, or use transparent mode on the Pi.";
  return { id: 'proxy', title, status: 'fail', detail: `A request to ${r.names.address} did not come back through the proxy (${p.byAddress.reason}).`, fix };
}

function dns(r: SelfTestReport, p: Probes): Check {
  const title = "It uses the appliance's DNS";
  const elsewhere = r.dns?.elsewhere ?? [];
  const others = elsewhere.length ? ` It also sent DNS to ${elsewhere.map((e) => e.server).join(', ')}, which the appliance does not see.` : '';
  if (p.byName.ok) {
    if (r.mode === 'explicit') return { id: 'dns', title, status: 'pass', detail: 'Explicit-proxy mode: the proxy looks names up itself, so what the browser opens is seen.' };
    const seen = r.dns?.selfTest.length ? " The appliance's DNS log shows the lookup." : '';
    return { id: 'dns', title, status: elsewhere.length ? 'warn' : 'pass', detail: `A name only the appliance's DNS knows was found and answered.${seen}${others}`, ...(elsewhere.length ? { fix: PRIVATE_DNS_OFF } : {}) };
  }
  if (!p.byAddress.ok) return { id: 'dns', title, status: 'unknown', detail: 'Cannot tell while web traffic does not reach the proxy (see above).' };
  return { id: 'dns', title, status: 'fail', detail: `A name only the appliance's DNS knows could not be reached (${p.byName.reason}): this phone resolves names somewhere else.${others}`, fix: PRIVATE_DNS_OFF };
}

function ca(r: SelfTestReport, p: Probes): Check {
  const title = "This browser trusts the appliance's certificate";
  if (p.https.ok) return { id: 'ca', title, status: 'pass', detail: 'An HTTPS request to an intercepted name succeeded with the appliance\'s certificate: HTTPS from this browser is inspected.' };
  const refused = r.proxy.refused.length > 0;
  if (!refused && !p.byAddress.ok) return { id: 'ca', title, status: 'unknown', detail: 'Cannot tell while web traffic does not reach the proxy (see above).' };
  const why = refused ? 'The appliance saw this browser refuse its certificate.' : `The HTTPS request failed (${p.https.reason}).`;
  return { id: 'ca', title, status: 'fail', detail: why, fix: 'Install and trust the appliance CA: the Setup page has the steps for this phone. Until then, HTTPS from this browser is passed through, not inspected.' };
}

function quic(r: SelfTestReport): Check {
  const title = 'QUIC (HTTP/3) is blocked, so apps fall back to inspectable TCP';
  if (r.mode === 'explicit') return { id: 'quic', title, status: 'pass', detail: 'Explicit-proxy mode: browsers do not use QUIC through an HTTP proxy.' };
  const fw = r.firewall;
  if (!fw || fw.state === 'unreadable') return { id: 'quic', title, status: 'unknown', detail: `The appliance could not read its firewall${fw ? `: ${fw.reason}` : ''}.` };
  if (fw.state === 'missing' || !fw.rules.dropQuic.present || !fw.rules.redirectHttps.present) {
    return { id: 'quic', title, status: 'fail', detail: fw.state === 'missing' ? fw.reason : "leakwatch's firewall table is loaded but lacks its QUIC or redirect rule.", fix: 'Restart the appliance service (sudo systemctl restart leakwatch); `leakwatch doctor` on the appliance says what is wrong.' };
  }
  const phone = !r.quic ? '' : r.quic.packets > 0 ? ` This phone tried QUIC with ${plural(r.quic.packets, 'packet')}, all dropped.` : ' This phone has not tried QUIC.';
  return { id: 'quic', title, status: 'pass', detail: `The firewall drops UDP 443 from the hotspot (${plural(fw.rules.dropQuic.packets ?? 0, 'packet')} so far).${phone}` };
}

function privateDns(r: SelfTestReport): Check {
  const title = 'Private DNS and DNS-over-HTTPS are off';
  const problems: string[] = [];
  if (r.dnsOverTls && r.dnsOverTls.attempts > 0) problems.push(`it tried DNS-over-TLS (${plural(r.dnsOverTls.attempts, 'attempt')} to ${r.dnsOverTls.servers.join(', ')}, blocked by the hotspot)`);
  if (r.doh.length) problems.push(`it used DNS-over-HTTPS (${r.doh.map((d) => d.host).join(', ')})`);
  if (problems.length) return { id: 'private-dns', title, status: 'fail', detail: `The appliance saw that ${problems.join(' and ')}: names it looks up that way are not seen.`, fix: PRIVATE_DNS_OFF };
  if (!r.capture) return { id: 'private-dns', title, status: 'unknown', detail: 'Packet capture is off, so the appliance cannot see DNS-over-TLS attempts; no DNS-over-HTTPS server was seen in its traffic.' };
  return { id: 'private-dns', title, status: 'pass', detail: 'No DNS-over-TLS attempt and no DNS-over-HTTPS server seen from this phone.' };
}
