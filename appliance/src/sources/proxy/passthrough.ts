import type { TlsFailureCause } from './tls-failure.js';

/** Why a client's connections to a host are relayed untouched instead of inspected. */
export type PassthroughReason =
  /** The client said so: a TLS alert refusing our certificate (unknown CA, bad certificate …). */
  | 'certificate-rejected'
  /** The client hung up during the handshake again and again, never once taking our certificate. */
  | 'repeated-refusals'
  /** The client took our certificate before and now rejects it: an app update that pins, or an SDK that refuses on purpose. */
  | 'refused-after-accepting';

export interface Passthrough {
  device: string;
  host: string;
  /** The client's TLS fingerprint: only connections with it pass through, not the device's other apps. */
  ja4?: string;
  reason: PassthroughReason;
  since: number;
  until: number;
}

export interface PinningPolicy {
  /** The first passthrough of a client and host; each one after it lasts twice as long, up to `maxMs`. */
  firstMs: number;
  maxMs: number;
  /** Silent refusals (a handshake closed or reset) within `windowMs` that count as pinning. */
  silentRefusals: number;
  windowMs: number;
  /** Clients and hosts remembered at most (the oldest are forgotten first). */
  maxEntries: number;
}

export const DEFAULT_PINNING_POLICY: Omit<PinningPolicy, 'firstMs'> = { maxMs: 24 * 3600_000, silentRefusals: 3, windowMs: 10 * 60_000, maxEntries: 10_000 };

/** What one refused handshake led to. */
export interface Refusal {
  /** Set when the client's connections to the host now pass through. */
  passthrough?: Passthrough;
  /** The client took our certificate for this host before: noteworthy whether or not it passes through. */
  afterAccepting: boolean;
}

interface ClientState {
  refusals: number[];
  /** How many passthroughs this client and host earned: the next lasts 2^pins times as long. */
  pins: number;
  acceptedAt?: number;
  passthrough?: Passthrough;
}

/**
 * Decides when a client on the hotspot has earned passthrough for a host: when it refuses our
 * certificate with a TLS alert, or hangs up during the handshake repeatedly while it takes none of
 * our certificates (for any host) — never for one handshake that just closed, nor for a client that
 * takes our certificates elsewhere (a browser's spare or cut-short connections end that way while it
 * trusts us perfectly well). Clients are told apart by their TLS
 * fingerprint (JA4), so one app refusing us does not switch inspection off for the device's other
 * apps. A passthrough ends and the client is tried again (re-probed), each time after twice as
 * long. Time is passed in, so the rules are testable without waiting.
 */
export class PinningJudge {
  private readonly clients = new Map<string, ClientState>();
  /** When each client (device and fingerprint) last took one of our certificates, for any host. */
  private readonly trusting = new Map<string, number>();

  constructor(private readonly policy: PinningPolicy) {}

  /** Whether this client's connection to `host` is relayed untouched now. */
  passes(device: string, host: string, ja4: string | undefined, now: number): boolean {
    const until = this.clients.get(key(device, host, ja4))?.passthrough?.until;
    return until !== undefined && until > now;
  }

  /** The client completed a handshake with our certificate. */
  accepted(device: string, host: string, ja4: string | undefined, now: number): void {
    const state = this.state(device, host, ja4);
    state.acceptedAt = now;
    state.refusals = [];
    state.pins = 0;
    const client = key(device, '', ja4);
    this.trusting.delete(client);
    this.trusting.set(client, now);
    if (this.trusting.size > this.policy.maxEntries) this.trusting.delete(this.trusting.keys().next().value!);
  }

  /** The client's handshake with our certificate failed; returns whether that earned passthrough. */
  refused(device: string, host: string, ja4: string | undefined, cause: TlsFailureCause, now: number): Refusal {
    const state = this.state(device, host, ja4);
    const afterAccepting = state.acceptedAt !== undefined;
    const explicit = cause === 'cert-rejected';
    if (!explicit) {
      if (cause !== 'closed' && cause !== 'reset') return { afterAccepting: false };
      // A client that takes our certificates (for this host or any other, lately) and hangs up
      // mid-handshake is a browser dropping a spare or cut-short connection, not a client that
      // refuses us: silent refusals count only for a client that takes none of them.
      const trustedAt = this.trusting.get(key(device, '', ja4));
      if (trustedAt !== undefined && now - trustedAt < this.policy.windowMs) return { afterAccepting: false };
      state.refusals = [...state.refusals.filter((t) => now - t < this.policy.windowMs), now];
      // Once a client earned passthrough, one refusal after the re-probe is its pattern again.
      if (state.refusals.length < (state.pins > 0 ? 1 : this.policy.silentRefusals)) return { afterAccepting: false };
    }
    const duration = Math.min(this.policy.firstMs * 2 ** state.pins, this.policy.maxMs);
    state.pins++;
    state.refusals = [];
    const reason: PassthroughReason = !explicit ? 'repeated-refusals' : afterAccepting ? 'refused-after-accepting' : 'certificate-rejected';
    state.passthrough = { device, host, ...(ja4 ? { ja4 } : {}), reason, since: now, until: now + duration };
    return { passthrough: state.passthrough, afterAccepting: explicit && afterAccepting };
  }

  /** Every passthrough in force now, newest first. */
  current(now: number): Passthrough[] {
    const out: Passthrough[] = [];
    for (const state of this.clients.values()) if (state.passthrough && state.passthrough.until > now) out.push(state.passthrough);
    return out.sort((a, b) => b.since - a.since);
  }

  private state(device: string, host: string, ja4: string | undefined): ClientState {
    const k = key(device, host, ja4);
    let state = this.clients.get(k);
    if (state) {
      // Most recently used last, so the oldest is forgotten first.
      this.clients.delete(k);
    } else {
      state = { refusals: [], pins: 0 };
      if (this.clients.size >= this.policy.maxEntries) this.clients.delete(this.clients.keys().next().value!);
    }
    this.clients.set(k, state);
    return state;
  }
}

function key(device: string, host: string, ja4: string | undefined): string {
  return `${device}\u0000${host}\u0000${ja4 ?? ''}`;
}
