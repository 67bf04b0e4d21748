import type { Alert, CanaryLabel } from '../model/index.js';
import type { CanaryRound, CanarySession } from '../store/canary-sessions.js';
import { canaryHost, canaryPage } from './round-canaries.js';
import { plural } from '../plural.js';

/** What the appliance could not see of a device during a round: hidden from it, so "not seen" is not "not sent". */
export interface BlindSpots {
  /** Hosts whose TLS was relayed untouched (the device refused the appliance certificate). */
  passedThrough: { host: string; count: number }[];
  /** QUIC packets and DNS-over-TLS attempts (both blocked, so apps fall back); null without packet capture. */
  quicPackets: number | null;
  dnsOverTlsAttempts: number | null;
}

export interface CanaryFinding {
  target: CanaryLabel['target'];
  /** The canary as planted: the page's host, its URL, or the search phrase. */
  value: string;
  /** How it appeared: the forms found (`url`, `sha256(host)` …) and each decode chain. */
  forms: string[];
  chains: string[];
  alerts: number;
  firstSeen: number;
  /** From the canary page's first visit to the first request carrying this canary; null when the page was not visited. */
  afterVisitMs: number | null;
}

export interface Receiver {
  host: string;
  ip: string | null;
  company: string;
  country: string | null;
  chinaLinked: boolean;
  /** owned-by or hosted-in (see Attribution); null when not china-linked. */
  chinaLink: 'owned-by' | 'hosted-in' | null;
  reasons: string[];
}

export interface RoundVerdict {
  round: number;
  mode: string;
  opened: number;
  closed: number | null;
  /** Until when the round's canaries are watched (null while the round is open). */
  watchedUntil: number | null;
  canaries: { page: string; host: string; phrase: string };
  visited: number | null;
  leaked: boolean;
  receivers: Receiver[];
  found: CanaryFinding[];
  /** The alert ids: the evidence. */
  alertIds: string[];
  blind: BlindSpots;
}

export interface SessionVerdict {
  session: string;
  app: string;
  device: string | null;
  created: number;
  /** Still watching (a round open, or a watch window not over): the verdict may still change. */
  watching: boolean;
  /** One sentence for everyone; never "safe": what was not seen may still have been sent. */
  summary: string;
  rounds: RoundVerdict[];
}

const company = (a: Alert) => a.destination.owner ?? a.destination.org ?? a.destination.registrableDomain ?? a.destination.host;

/** A round's verdict from the proven alerts of its canaries. */
export function roundVerdict(session: CanarySession, round: CanaryRound, alerts: readonly Alert[], blind: BlindSpots): RoundVerdict {
  const own = alerts.filter((a) => a.data.canary?.session === session.id && a.data.canary.round === round.n);
  const receivers = new Map<string, Receiver>();
  for (const a of own) {
    const d = a.destination;
    if (!receivers.has(d.host)) receivers.set(d.host, { host: d.host, ip: d.ip ?? null, company: company(a), country: d.country ?? null, chinaLinked: d.chinaLinked, chinaLink: d.chinaLink ?? null, reasons: [...d.reasons] });
  }
  const byTarget = new Map<CanaryLabel['target'], CanaryFinding>();
  for (const a of [...own].sort((x, y) => Date.parse(x.flow.time) - Date.parse(y.flow.time))) {
    const target = a.data.canary!.target;
    const seen = Date.parse(a.flow.time);
    let f = byTarget.get(target);
    if (!f) byTarget.set(target, (f = { target, value: a.data.value, forms: [], chains: [], alerts: 0, firstSeen: seen, afterVisitMs: round.visited === null ? null : Math.max(0, seen - round.visited) }));
    f.alerts++;
    if (!f.forms.includes(a.data.form)) f.forms.push(a.data.form);
    const chain = a.path || 'as it is';
    if (!f.chains.includes(chain)) f.chains.push(chain);
  }
  const order: CanaryLabel['target'][] = ['url', 'host', 'search'];
  return {
    round: round.n, mode: round.mode, opened: round.opened, closed: round.closed,
    watchedUntil: round.closed === null ? null : round.closed + session.watchMs,
    canaries: { page: canaryPage(round), host: canaryHost(round), phrase: round.phrase },
    visited: round.visited,
    leaked: own.length > 0,
    receivers: [...receivers.values()].sort((a, b) => Number(b.chinaLinked) - Number(a.chinaLinked) || a.host.localeCompare(b.host)),
    found: order.flatMap((t) => byTarget.get(t) ?? []),
    alertIds: own.map((a) => a.id),
    blind,
  };
}

const PRIVATE = /incognito|private|inprivate/i;
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** The session's one sentence: which modes leaked, to whom, and never "safe". */
export function summarise(rounds: readonly RoundVerdict[], watching: boolean, watchMinutes: number): string {
  if (rounds.length === 0) return 'No round yet: open one, then visit the canary page and search the phrase in the app under test.';
  const leaked = rounds.filter((r) => r.leaked);
  const clean = rounds.filter((r) => !r.leaked);
  const modes = (rs: readonly RoundVerdict[]) => [...new Set(rs.map((r) => r.mode))];
  const still = watching ? ' (still watching: this may change)' : '';
  if (leaked.length === 0) return `Nothing was seen leaving the phone within the watch window (${plural(watchMinutes, 'minute')} after each round)${still}. Not seen is not safe: see what the appliance could not see.`;
  const china = leaked.some((r) => r.receivers.some((x) => x.chinaLinked)) ? ', china-linked' : '';
  const whom = list([...new Set(leaked.flatMap((r) => r.receivers.map((x) => x.company)))]);
  if (clean.length === 0) {
    const privateModes = modes(leaked).filter((m) => PRIVATE.test(m));
    const normalModes = modes(leaked).filter((m) => !PRIVATE.test(m));
    const same = leaked.every((r) => sameLeak(r, leaked[0]!));
    if (privateModes.length && normalModes.length) return `${capital(list(privateModes))} leaked ${same ? 'the same as' : 'as well as'} ${list(normalModes)}: to ${whom}${china}${still}.`;
    return `Every round (${list(modes(leaked))}) leaked: to ${whom}${china}${still}.`;
  }
  return `Only ${list(modes(leaked))} leaked, to ${whom}${china}; ${list(modes(clean))} was not seen leaking within the watch window${still}.`;
}

/** Whether two rounds leaked the same canaries to the same receivers. */
function sameLeak(a: RoundVerdict, b: RoundVerdict): boolean {
  const key = (r: RoundVerdict) => `${r.found.map((f) => f.target).sort().join()}|${r.receivers.map((x) => x.host).sort().join()}`;
  return key(a) === key(b);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function sessionVerdict(session: CanarySession, alerts: readonly Alert[], blindOf: (round: CanaryRound) => BlindSpots, now: number): SessionVerdict {
  const rounds = session.rounds.map((r) => roundVerdict(session, r, alerts, blindOf(r)));
  const watching = session.finalized === null && (session.closed === null || session.rounds.some((r) => r.closed === null || r.closed + session.watchMs > now));
  return {
    session: session.id, app: session.app, device: session.device, created: session.created, watching,
    summary: summarise(rounds, watching, Math.round(session.watchMs / 60_000)), rounds,
  };
}
