import type { PlantedCanary } from '../model/index.js';
import type { CanaryRound, CanarySession } from '../store/canary-sessions.js';
import { plantedCanaries } from './round-canaries.js';

/** Whether a round's canaries are still watched at `now`: while it is open, and for the watch window after. */
export function watched(session: CanarySession, round: CanaryRound, now: number): boolean {
  return round.closed === null || round.closed + session.watchMs > now;
}

/** Every canary the detector must watch for at `now`, labelled with its session, round and mode. */
export function activeCanaries(sessions: readonly CanarySession[], now: number): PlantedCanary[] {
  return sessions.flatMap((s) => s.rounds.filter((r) => watched(s, r, now)).flatMap((r) => plantedCanaries(r, { session: s.id, round: r.n, mode: r.mode })));
}

/** When the next watch window ends (a timer wakes then to stop watching, or to finalize); undefined when none is due. */
export function nextWatchEnd(sessions: readonly CanarySession[], now: number): number | undefined {
  const ends = sessions.flatMap((s) => s.rounds.flatMap((r) => (r.closed !== null && r.closed + s.watchMs > now ? [r.closed + s.watchMs] : [])));
  return ends.length ? Math.min(...ends) : undefined;
}

/** A session whose every watch is over: its verdict can be kept and published. */
export function finalizable(session: CanarySession, now: number): boolean {
  return session.finalized === null && session.closed !== null && session.rounds.every((r) => !watched(session, r, now));
}
