import type { Alert, AnalysisSummary } from '../model/index.js';
import type { AnalysisReport } from './analyze.js';
import { plural } from '../plural.js';
import { JoinedLines } from './joined-lines.js';

export interface TextStyle {
  color: boolean;
}

const KIND_LABEL: Record<Alert['data']['kind'], string> = {
  url: 'visited URL',
  host: 'visited host',
  search: 'search term',
  canary: 'planted canary',
  indicator: 'indicator',
};

/**
 * The report a person reads: per leaking request, what leaked, to whom, why it is china-linked, how
 * it was encoded. Made piece by piece as it is written, so a report of tens of thousands of alerts
 * is never one string in memory (a 40 MB capture's text report took ~120 MB of peak RSS).
 */
export function* renderTextChunks(report: AnalysisReport, style: TextStyle): Generator<string> {
  const s = styler(style.color);
  const text = new JoinedLines();
  yield* text.add([headline(report.summary, s), ...tlsLine(report.summary), '']);
  const byFlow = new Map<string, Alert[]>();
  for (const alert of report.alerts) {
    const list = byFlow.get(alert.flow.id);
    if (list) list.push(alert);
    else byFlow.set(alert.flow.id, [alert]);
  }
  for (const alerts of byFlow.values()) yield* text.add([...renderFlow(alerts, s), '']);
  if (report.alerts.length === 0) yield* text.add(['No browsing data was found leaving in the requests read.', '']);
  yield* text.add([...renderOpaque(report.summary, s), ...renderWebTrackers(report.summary, s), ...renderProblems(report.summary, s)]);
  yield* text.end();
}

function headline(summary: AnalysisSummary, s: Styler): string {
  const parts = [
    plural(summary.files, 'file'),
    `${plural(summary.flows, 'request')} (${plural(summary.navigations, 'page load')})`,
    plural(summary.alerts, 'alert'),
  ];
  const china = summary.chinaLinkedAlerts > 0 ? s.red(` — ${summary.chinaLinkedAlerts} to china-linked receivers`) : '';
  return s.bold(`leakwatch: ${parts.join(', ')}`) + china;
}

/** Packet captures also show encrypted connections: say how many, so "no alert" is not read as "nothing sent". */
function tlsLine(summary: AnalysisSummary): string[] {
  const n = summary.tlsConnections;
  if (n === 0) return [];
  return [`${plural(n, 'TLS connection')} seen by server name (SNI): encrypted, not inspected`];
}

function renderFlow(alerts: Alert[], s: Styler): string[] {
  const first = alerts[0]!;
  const d = first.destination;
  const lines = [
    s.bold(`${first.flow.method} ${first.flow.url}`),
    `  at        ${first.flow.time}   device ${first.device}`,
    `  to        ${[d.host, d.ip ? `${d.ip}:${d.port}` : `port ${d.port}`, d.asn ? `AS${d.asn} ${d.org ?? ''}`.trim() : d.org, d.country].filter(Boolean).join('  ')}`,
  ];
  if (d.owner) lines.push(`  owner     ${d.owner}${d.ownerCountry ? ` (${d.ownerCountry})` : ''}${d.registrableDomain ? ` — ${d.registrableDomain}` : ''}`);
  if (d.chinaLinked) {
    lines.push(`  ${s.red('china-linked')}, because:`);
    for (const reason of d.reasons) lines.push(`            - ${reason}`);
  } else {
    lines.push('  not china-linked (third party)');
  }
  for (const a of alerts) {
    lines.push(
      `  ${severityTag(a, s)} ${a.confidence} ${KIND_LABEL[a.data.kind]}: ${s.bold(a.data.value)}`,
      `            found as ${formLabel(a.data.form)}${a.evidence.format ? `, in ${a.evidence.format} telemetry` : ''}${a.evidence.browsedUrl && a.evidence.browsedUrl !== a.data.value ? `; browsed at ${a.evidence.browsedUrl}` : ''}`,
      `            decoded   ${a.path || '(plain text)'}`,
      `            excerpt   ${highlight(a, s)}`,
    );
  }
  return lines;
}

/** How the value was found, in words. */
function formLabel(form: string): string {
  const labels: Record<string, string> = {
    url: 'the URL as browsed',
    'url-canonical': 'the URL, spelled differently',
    'url-no-scheme': 'the URL without its scheme',
    'url-no-query': 'the URL without its query',
    'url-no-scheme-no-query': 'the URL without scheme and query',
    host: 'the host name',
    'host-no-www': 'the host name without www.',
    search: 'the search term',
    'search+plus': 'the search term, +-joined',
    'search%encoded': 'the search term, percent-encoded',
    'search%form': 'the search term, form-encoded',
    canary: 'the planted canary',
  };
  const hash = /^(md5|sha1|sha256)\((url|host)\)$/.exec(form);
  if (hash) return `the ${hash[1]!.toUpperCase().replace('SHA', 'SHA-')} hash of the ${hash[2] === 'url' ? 'URL' : 'host name'}`;
  if (form.startsWith('field:')) return `a browsing-like value in field "${form.slice(6)}" (the browsing itself was not seen)`;
  return labels[form] ?? form;
}

function severityTag(a: Alert, s: Styler): string {
  const tag = a.severity.toUpperCase().padEnd(8);
  return a.severity === 'critical' || a.severity === 'high' ? s.red(tag) : s.yellow(tag);
}

function highlight(a: Alert, s: Styler): string {
  const [from, to] = a.evidence.highlight;
  const text = a.evidence.excerpt;
  return oneLine(text.slice(0, from)) + s.mark(oneLine(text.slice(from, to))) + oneLine(text.slice(to));
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function renderOpaque(summary: AnalysisSummary, s: Styler): string[] {
  if (summary.opaque.length === 0) return [];
  const lines = [s.bold('Telemetry that could not be read (encrypted by the app; no alert, listed for completeness):')];
  for (const o of summary.opaque) lines.push(`  ${o.count}× ${o.host} — ${o.format}${o.chinaLinked ? s.red(' (china-linked)') : ''}`);
  return [...lines, ''];
}

function renderWebTrackers(summary: AnalysisSummary, s: Styler): string[] {
  if (summary.webTrackers.length === 0) return [];
  const lines = [s.bold('Web trackers (web pages reporting themselves to a third party; not the phone leaking, no alert):')];
  for (const t of summary.webTrackers.slice(0, 50)) {
    const link = t.chinaLinked ? s.red(` (china-linked${t.chinaLink === 'hosted-in' ? ', hosted in only' : ''})`) : '';
    lines.push(`  ${t.page} reports its ${t.kinds.join(', ')} to ${t.host}${link} — ${t.count}×`);
  }
  if (summary.webTrackers.length > 50) lines.push(`  … and ${summary.webTrackers.length - 50} more`);
  return [...lines, ''];
}

function renderProblems(summary: AnalysisSummary, s: Styler): string[] {
  if (summary.problems.length === 0) return [];
  const lines = [s.bold(`Input problems (${summary.problems.length}):`)];
  for (const p of summary.problems.slice(0, 20)) lines.push(`  ${p.file}: ${p.at}: ${p.reason}`);
  if (summary.problems.length > 20) lines.push(`  … and ${summary.problems.length - 20} more`);
  return [...lines, ''];
}

interface Styler {
  bold(t: string): string;
  red(t: string): string;
  yellow(t: string): string;
  mark(t: string): string;
}

function styler(color: boolean): Styler {
  const wrap = (open: string, close: string) => (t: string) => (color ? `\x1b[${open}m${t}\x1b[${close}m` : t);
  return {
    bold: wrap('1', '22'),
    red: wrap('31', '39'),
    yellow: wrap('33', '39'),
    mark: color ? (t) => `\x1b[1;7m${t}\x1b[22;27m` : (t) => `»${t}«`,
  };
}
