import { describe, expect, it } from 'vitest';
import { summarise } from '../../../appliance/src/canary/verdict.js';
import type { RoundVerdict } from '../../../appliance/src/canary/verdict.js';

function round(n: number, mode: string, receivers: [string, string, boolean][] = [], targets: ('url' | 'host' | 'search')[] = ['url']): RoundVerdict {
  const leaked = receivers.length > 0;
  return {
    round: n, mode, opened: 0, closed: 1, watchedUntil: 2, canaries: { page: 'p', host: 'h', phrase: 'a b c' }, visited: 0, leaked,
    receivers: receivers.map(([host, company, chinaLinked]) => ({ host, ip: null, company, country: null, chinaLinked, chinaLink: chinaLinked ? ('owned-by' as const) : null, reasons: [] })),
    found: leaked ? targets.map((target) => ({ target, value: 'v', forms: [target], chains: ['x'], alerts: 1, firstSeen: 1, afterVisitMs: 1 })) : [],
    alertIds: [], blind: { passedThrough: [], quicPackets: 0, dnsOverTlsAttempts: 0 },
  };
}
const SA: [string, string, boolean] = ['sa.api.intl.miui.com', 'Xiaomi', true];
const GA: [string, string, boolean] = ['www.google-analytics.com', 'Google LLC', false];

describe('the canary session in one sentence', () => {
  it.each([
    ['incognito leaking the same as normal', [round(1, 'normal', [SA]), round(2, 'incognito', [SA])], 'Incognito leaked the same as normal: to Xiaomi, china-linked.'],
    ['private mode leaking other canaries than normal', [round(1, 'normal', [SA]), round(2, 'private', [SA], ['host'])], 'Private leaked as well as normal: to Xiaomi, china-linked.'],
    ['only normal leaking', [round(1, 'normal', [SA, GA]), round(2, 'incognito')], 'Only normal leaked, to Xiaomi and Google LLC, china-linked; incognito was not seen leaking within the watch window.'],
    ['every round of one mode', [round(1, 'normal', [GA]), round(2, 'normal', [GA])], 'Every round (normal) leaked: to Google LLC.'],
    ['nothing', [round(1, 'normal'), round(2, 'incognito')], 'Nothing was seen leaving the phone within the watch window (10 minutes after each round). Not seen is not safe: see what the appliance could not see.'],
    ['no round yet', [], 'No round yet: open one, then visit the canary page and search the phrase in the app under test.'],
  ])('%s', (_what, rounds, sentence) => {
    expect(summarise(rounds, false, 10)).toBe(sentence);
  });

  it('says while it is still watching that it may change, and never calls anything safe', () => {
    expect(summarise([round(1, 'normal')], true, 10)).toBe('Nothing was seen leaving the phone within the watch window (10 minutes after each round) (still watching: this may change). Not seen is not safe: see what the appliance could not see.');
    for (const rounds of [[round(1, 'normal', [SA])], [round(1, 'normal')]]) expect(summarise(rounds, false, 10)).not.toMatch(/\b(is|was|are) safe\b/);
  });
});
