import type { Database as Db } from 'better-sqlite3';
import type { Alert, PlantedCanary } from '../model/index.js';
import type { PeerTraffic } from '../sources/capture/traffic-counters.js';
import { AlertStore, CanarySessionStore, FlowStore } from '../store/index.js';
import type { BlindCounts, CanaryRound, CanarySession } from '../store/index.js';
import { hostTokenOf, newRoundSecrets } from './round-canaries.js';
import { activeCanaries, finalizable, nextWatchEnd } from './watch.js';
import { sessionVerdict } from './verdict.js';
import type { BlindSpots, SessionVerdict } from './verdict.js';

export const DEFAULT_WATCH_MINUTES = 10;

export interface CanaryServiceDeps {
  db: Db;
  /** Tells the detector (the inspection thread) to watch for a canary, or to stop. */
  plant(action: 'add' | 'remove', canary: PlantedCanary): void;
  /** Capture's per-destination counters of a device; absent while capture is off. */
  traffic?: (device: string) => PeerTraffic[];
  /** The devices capture has counted (for a session that names none). */
  devices?: () => string[];
  /** A session's verdict is final: published (MQTT) by whoever listens. */
  finished?: (verdict: SessionVerdict) => void;
  now?: () => number;
}

export class CanarySessionError extends Error {
  constructor(
    readonly code: 'LW_ERR_CANARY_SESSION_NOT_FOUND' | 'LW_ERR_CANARY_SESSION_CLOSED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Canary sessions on the running appliance (main thread): opening and closing rounds, planting
 * their canaries in the detector while they are watched (open, and the watch window after), the
 * visits to canary pages, the live verdict, and — once every watch window is over — the verdict
 * kept and handed to `finished` (MQTT).
 */
export class CanaryService {
  private readonly sessions: CanarySessionStore;
  private readonly alerts: AlertStore;
  private readonly flows: FlowStore;
  private readonly planted = new Map<string, PlantedCanary>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: CanaryServiceDeps) {
    this.sessions = new CanarySessionStore(deps.db);
    this.alerts = new AlertStore(deps.db);
    this.flows = new FlowStore(deps.db);
    this.now = deps.now ?? Date.now;
  }

  /** Plants what is watched now, finalizes what is over, and wakes again at the next watch end. */
  start(): void {
    this.tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  create(app: string, device: string | null, watchMinutes = DEFAULT_WATCH_MINUTES): CanarySession {
    return this.sessions.create(app, device, watchMinutes * 60_000, this.now());
  }

  list(): CanarySession[] {
    return this.sessions.list();
  }

  get(id: string): CanarySession {
    const session = this.sessions.get(id);
    if (!session) throw new CanarySessionError('LW_ERR_CANARY_SESSION_NOT_FOUND', `no canary session ${id}; GET /api/canary-sessions lists them`);
    return session;
  }

  /** Closes the open round, opens the next with fresh canaries, and watches them at once. */
  openRound(id: string, mode: string): CanaryRound {
    const session = this.get(id);
    if (session.closed !== null) throw new CanarySessionError('LW_ERR_CANARY_SESSION_CLOSED', `canary session ${id} is closed; start a new session for more rounds`);
    const round = this.sessions.openRound(id, mode, newRoundSecrets(), this.blindCounts(session), this.now());
    this.tick();
    return round;
  }

  closeRound(id: string): CanarySession {
    this.get(id);
    this.sessions.closeRound(id, this.now());
    this.tick();
    return this.get(id);
  }

  close(id: string): CanarySession {
    this.get(id);
    this.sessions.close(id, this.now());
    this.tick();
    return this.get(id);
  }

  /** The session and round whose canary page is on `host`. */
  roundOf(host: string): { session: CanarySession; round: CanaryRound } | undefined {
    const token = hostTokenOf(host);
    return token === undefined ? undefined : this.sessions.roundOf(token);
  }

  /** A device opened a round's canary page: the round notes its first visit. */
  visit(session: string, round: number, device: string): void {
    this.sessions.visit(session, round, device, this.now());
  }

  /** The session's verdict now (or as kept, once final), with the alerts it rests on. */
  verdict(id: string): { verdict: SessionVerdict; alerts: Alert[] } {
    const session = this.get(id);
    const alerts = this.alerts.ofCanarySession(id);
    if (session.report) return { verdict: JSON.parse(session.report) as SessionVerdict, alerts };
    return { verdict: sessionVerdict(session, alerts, (r) => this.blindSpots(session, r), this.now()), alerts };
  }

  private tick(): void {
    clearTimeout(this.timer);
    const now = this.now();
    const unfinished = this.sessions.unfinished();
    const active = new Map(activeCanaries(unfinished, now).map((c) => [c.value, c]));
    for (const [value, canary] of this.planted) if (!active.has(value)) this.deps.plant('remove', canary);
    for (const [value, canary] of active) if (!this.planted.has(value)) this.deps.plant('add', canary);
    this.planted.clear();
    for (const [value, canary] of active) this.planted.set(value, canary);
    for (const session of unfinished.filter((s) => finalizable(s, now))) {
      const verdict = sessionVerdict(session, this.alerts.ofCanarySession(session.id), (r) => this.blindSpots(session, r), now);
      this.sessions.finalize(session.id, JSON.stringify(verdict), now);
      this.deps.finished?.(verdict);
    }
    const next = nextWatchEnd(unfinished, now);
    if (next !== undefined) {
      this.timer = setTimeout(() => this.tick(), Math.max(0, next - now) + 50);
      this.timer.unref();
    }
  }

  /** The devices a session covers: its own, or every device capture counted. */
  private devicesOf(session: CanarySession): string[] {
    return session.device ? [session.device] : (this.deps.devices?.() ?? []);
  }

  private blindCounts(session: CanarySession): BlindCounts | null {
    if (!this.deps.traffic) return null;
    return Object.fromEntries(this.devicesOf(session).map((device) => [device, totals(this.deps.traffic!(device))]));
  }

  /** What could not be seen during a round: passed-through hosts, and (with capture) QUIC and DNS-over-TLS since it opened. */
  private blindSpots(session: CanarySession, round: CanaryRound): BlindSpots {
    const until = round.closed === null ? this.now() : Math.min(this.now(), round.closed + session.watchMs);
    const passedThrough = this.flows.passedThroughBetween(session.device, round.opened, until).map(({ host, count }) => ({ host, count }));
    if (!this.deps.traffic || !round.blindStart) return { passedThrough, quicPackets: null, dnsOverTlsAttempts: null };
    let quicPackets = 0;
    let dnsOverTlsAttempts = 0;
    for (const device of this.devicesOf(session)) {
      const now = totals(this.deps.traffic(device));
      const then = round.blindStart[device] ?? { quicPackets: 0, dnsOverTlsAttempts: 0 };
      quicPackets += Math.max(0, now.quicPackets - then.quicPackets);
      dnsOverTlsAttempts += Math.max(0, now.dnsOverTlsAttempts - then.dnsOverTlsAttempts);
    }
    return { passedThrough, quicPackets, dnsOverTlsAttempts };
  }
}

function totals(traffic: readonly PeerTraffic[]): { quicPackets: number; dnsOverTlsAttempts: number } {
  return traffic.reduce((t, p) => ({ quicPackets: t.quicPackets + p.quicPackets, dnsOverTlsAttempts: t.dnsOverTlsAttempts + p.dnsOverTlsAttempts }), { quicPackets: 0, dnsOverTlsAttempts: 0 });
}

