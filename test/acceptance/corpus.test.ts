import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../appliance/src/analyze/analyze.js';
import { loadIntel } from '../../appliance/src/intel/index.js';
import type { Corpus } from '../fixtures/corpus.js';
import { generateCorpus } from '../fixtures/corpus.js';
import { scoreCorpus } from '../fixtures/score.js';

const corpus = generateCorpus(mkdtempSync(join(tmpdir(), 'lw-corpus-')));
const isTrap = (file: string) => basename(file).startsWith('trap-');

/** The part of the corpus whose files pass `keep`, with their labels. */
function part(keep: (file: string) => boolean): Corpus {
  return { ...corpus, files: corpus.files.filter(keep), labels: Object.fromEntries(Object.entries(corpus.labels).filter(([file]) => keep(file))) };
}

async function run(sessions: Corpus, policy?: { hostedInMainlandChina: boolean; hostedInHongKongMacau: boolean }) {
  const intel = await loadIntel({ overlayFiles: [sessions.intelFile], ...(policy ? { policy } : {}) });
  const report = await analyzeFiles(sessions.files, { intel });
  return { report, score: scoreCorpus(sessions, report.alerts) };
}

describe('the labelled corpus (test/fixtures)', () => {
  it.each([
    ['the sessions from before issue 12', part((f) => !isTrap(f)), 40],
    ['the trap sessions (coincidences, browser pages, shortened forms, upgrades, hosted-in)', part(isTrap), 15],
  ])('%s: finds leaks to china-linked receivers (recall ≥ 0.98) with precision ≥ 0.99 and no china-linked mislabels', async (_name, sessions, minimum) => {
    const { score } = await run(sessions);
    const explain = JSON.stringify({ misses: score.misses, falsePositives: score.falsePositives }, null, 1);
    expect(score.labelsChina, 'the sessions have china-linked leaks to find').toBeGreaterThan(minimum);
    expect(score.recallChina, explain).toBeGreaterThanOrEqual(0.98);
    expect(score.recallAll, explain).toBeGreaterThanOrEqual(0.98);
    expect(score.precision, explain).toBeGreaterThanOrEqual(0.99);
  });

  it('lists encrypted payloads and web trackers, never alerting on them', async () => {
    const { report } = await run(corpus);
    expect(report.summary.opaque.map((o) => o.format)).toEqual(expect.arrayContaining(['sensors-analytics (encrypted, gzip=13)', 'bytedance applog (ttEncrypt)', 'huawei hianalytics']));
    const trackers = report.summary.webTrackers.map((t) => `${t.page} → ${t.host}${t.chinaLinked ? ' (china-linked)' : ''}`);
    expect(trackers).toEqual(expect.arrayContaining([
      'theguardian.com → hm.baidu.com (china-linked)', 'theguardian.com → sa.guardian-partner.cn (china-linked)', 'bbc.com → sa.bbc-partner.cn (china-linked)', 'bbc.com → www.google-analytics.com',
    ]));
    expect(report.alerts.filter((a) => ['hm.baidu.com', 'sa.guardian-partner.cn', 'sa.bbc-partner.cn'].includes(a.destination.host))).toEqual([]);
  });

  it('keeps one alert per leak, upgraded in place when a later page load confirms it', async () => {
    const { report } = await run(part((f) => basename(f) === 'trap-upgraded.har'));
    expect(report.alerts.map((a) => [a.confidence, a.upgradedFrom])).toEqual([['confirmed', 'suspected']]);
  });

  it("says when a receiver is china-linked only by where its address block is registered, and follows the policy", async () => {
    const hostedIn = part((f) => basename(f) === 'trap-hosted-in.har');
    const byDefault = await run(hostedIn);
    expect(byDefault.report.alerts.map((a) => [a.destination.org, a.destination.country, a.destination.chinaLinked, a.destination.chinaLink])).toEqual([['Google LLC', 'HK', true, 'hosted-in']]);
    expect(byDefault.report.alerts[0]!.destination.reasons).toEqual([expect.stringMatching(/^hosted in: the address block is registered in HK \(Hong Kong\)/)]);
    const mainlandOnly = await run(hostedIn, { hostedInMainlandChina: true, hostedInHongKongMacau: false });
    expect(mainlandOnly.report.alerts.map((a) => [a.destination.chinaLinked, a.severity])).toEqual([[false, 'medium']]);
    // Owned-by receivers stay china-linked under the strictest policy.
    const ownership = await run(part((f) => basename(f) === 'mint-browser.har'), { hostedInMainlandChina: false, hostedInHongKongMacau: false });
    expect(ownership.report.alerts.every((a) => a.destination.chinaLinked && a.destination.chinaLink === 'owned-by')).toBe(true);
  });
});
