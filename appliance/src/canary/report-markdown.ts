import type { Alert } from '../model/index.js';
import type { RoundVerdict, SessionVerdict } from './verdict.js';

export interface ReportContext {
  applianceId: string;
  leakwatchVersion: string;
  createdAt: number;
  /** The device's name as the admin gave it, when known. */
  deviceName?: string;
  /** The proven alerts the verdict rests on, by id. */
  alerts: ReadonlyMap<string, Alert>;
}

const iso = (t: number | null) => (t === null ? '—' : new Date(t).toISOString().replace('.000Z', 'Z'));
const seconds = (ms: number | null) => (ms === null ? 'page not visited' : ms < 1000 ? 'under a second' : `${Math.round(ms / 1000)} s`);
/** Markdown that shows text as text: traffic-borne values go in code spans, with backticks neutralised. */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function round(r: RoundVerdict, ctx: ReportContext): string[] {
  const lines = [
    `### Round ${r.round}: ${cell(r.mode)}`,
    '',
    `- Opened ${iso(r.opened)}, closed ${iso(r.closed)}${r.watchedUntil ? `, watched until ${iso(r.watchedUntil)}` : ' (still open)'}`,
    `- Canary page ${code(r.canaries.page)} (host ${code(r.canaries.host)}), ${r.visited ? `first opened ${iso(r.visited)}` : 'never opened'}`,
    `- Search phrase ${code(r.canaries.phrase)}`,
    `- **${r.leaked ? 'Leaked' : 'Not seen leaking'}**`,
    '',
  ];
  if (r.leaked) {
    lines.push('| canary | found as | decode chain | alerts | first seen | after the visit |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of r.found) lines.push(`| ${f.target} | ${f.forms.map(code).join(', ')} | ${f.chains.map((c) => code(c)).join('<br>')} | ${f.alerts} | ${iso(f.firstSeen)} | ${seconds(f.afterVisitMs)} |`);
    lines.push('', 'Received by:', '');
    for (const x of r.receivers) {
      lines.push(`- ${code(x.host)}${x.ip ? ` (${x.ip})` : ''}: ${cell(x.company)}, ${x.country ?? 'country unknown'}${x.chinaLinked ? ', **china-linked**' : ''}`);
      for (const reason of x.chinaLinked ? x.reasons : []) lines.push(`  - ${cell(reason)}`);
    }
    lines.push('', 'Evidence (the requests, decoded):', '');
    for (const id of r.alertIds) {
      const a = ctx.alerts.get(id);
      if (a) lines.push(`- ${code(a.flow.method)} ${code(a.flow.url)} at ${iso(Date.parse(a.flow.time))}: ${code(a.data.matched)} as ${code(a.data.form)} via ${code(a.path || 'as it is')} (alert ${code(a.id)})`);
    }
  }
  const b = r.blind;
  lines.push('', 'What the appliance could not see during this round:', '');
  lines.push(`- Connections passed through uninspected: ${b.passedThrough.length ? b.passedThrough.map((p) => `${code(p.host)} (${p.count})`).join(', ') : 'none'}`);
  lines.push(`- QUIC packets (blocked, so apps fall back to TCP): ${b.quicPackets ?? 'unknown (packet capture off)'}`);
  lines.push(`- DNS-over-TLS attempts (blocked): ${b.dnsOverTlsAttempts ?? 'unknown (packet capture off)'}`);
  lines.push('');
  return lines;
}

/** The session's report for people: the verdict, each round, the evidence, and what was not visible. */
export function reportMarkdown(v: SessionVerdict, ctx: ReportContext): string {
  const device = v.device ? `${ctx.deviceName ? `${cell(ctx.deviceName)} (${code(v.device)})` : code(v.device)}` : 'any device on the hotspot';
  return [
    `# Canary test: ${cell(v.app)}`,
    '',
    `**${v.summary}**`,
    '',
    `- Device: ${device}`,
    `- Session ${code(v.session)}, started ${iso(v.created)}; report made ${iso(ctx.createdAt)}${v.watching ? ' while still watching' : ''}`,
    `- leakwatch ${ctx.leakwatchVersion} on appliance ${code(ctx.applianceId)}`,
    '',
    '## How the test works',
    '',
    'Each round gave the browser under test a page on a host name that exists nowhere but on this appliance, and a search phrase of ordinary words made for this round alone. The appliance watched everything the phone sent, while the round was open and for the watch window after it, for those canaries in every form it knows (as typed, URL-encoded, inside base64, gzip, JSON and more, and as MD5, SHA-1 and SHA-256 hashes). A canary found in a request to another party is proof that the browser reported what was done in it: nobody else could have known the canary.',
    '',
    '"Not seen leaking" is not "safe": what the appliance could not see (below) may still have carried it.',
    '',
    '## Rounds',
    '',
    ...v.rounds.flatMap((r) => round(r, ctx)),
  ].join('\n');
}
