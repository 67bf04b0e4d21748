import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../appliance/src/analyze/analyze.js';
import { loadIntel } from '../../appliance/src/intel/index.js';
import { generateCorpus } from '../fixtures/corpus.js';
import { scoreCorpus } from '../fixtures/score.js';

describe('the labelled corpus (test/fixtures)', () => {
  it('finds browsing leaks to china-linked receivers (recall ≥ 0.98) with precision ≥ 0.99 and no china-linked mislabels', async () => {
    const corpus = generateCorpus(mkdtempSync(join(tmpdir(), 'lw-corpus-')));
    const intel = await loadIntel({ overlayFiles: [corpus.intelFile] });
    const report = await analyzeFiles(corpus.files, { intel });
    const score = scoreCorpus(corpus, report.alerts);
    const explain = JSON.stringify({ misses: score.misses, falsePositives: score.falsePositives }, null, 1);
    expect(score.labelsChina, 'the corpus has china-linked leaks to find').toBeGreaterThan(40);
    expect(score.recallChina, explain).toBeGreaterThanOrEqual(0.98);
    expect(score.recallAll, explain).toBeGreaterThanOrEqual(0.98);
    expect(score.precision, explain).toBeGreaterThanOrEqual(0.99);
    // Encrypted payloads are listed, never alerted.
    expect(report.summary.opaque.map((o) => o.format)).toEqual(expect.arrayContaining(['sensors-analytics (encrypted, gzip=13)', 'bytedance applog (ttEncrypt)', 'huawei hianalytics']));
  });
});
