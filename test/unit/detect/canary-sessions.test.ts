import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import type { PlantedCanary } from '../../../appliance/src/model/index.js';
import { navigation, telemetry } from '../../support/flows.js';
import { testIntel } from '../../support/intel.js';

const ALIBABA_IP = '8.219.10.20';
const HOST = 'k7q2m9xa.canary.leakwatch.internal';
const PAGE = `http://${HOST}/amber42`;
const PHRASE = 'amber lantern orchard';
const label = (target: 'host' | 'url' | 'search') => ({ session: 'cs-1', round: 2, mode: 'incognito', target });
const ROUND: PlantedCanary[] = [
  { value: HOST, kind: 'host', label: label('host') },
  { value: PAGE, kind: 'url', label: label('url') },
  { value: PHRASE, kind: 'search', label: label('search') },
];
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sensors = (properties: object) => `data_list=${encodeURIComponent(gzipSync(JSON.stringify([{ event: 'page', properties }])).toString('base64'))}`;

function planted(): Detector {
  const d = new Detector(testIntel());
  for (const c of ROUND) d.addCanary(c);
  return d;
}

describe("a canary session round's canaries", () => {
  it('prove a leak of the page URL through any encoding, naming the session, round and mode', () => {
    const [alert] = planted().observe(telemetry('https://sa.example.cn/sa', sensors({ url: PAGE }), { ip: ALIBABA_IP, headers: FORM }));
    expect(alert).toMatchObject({
      confidence: 'proven', severity: 'critical',
      data: { kind: 'canary', value: PAGE, form: 'url', canary: { session: 'cs-1', round: 2, mode: 'incognito', target: 'url' } },
      path: 'form:data_list → base64 → gzip → json:$[0].properties.url',
    });
  });

  it('prove a leak of the page host alone, even hashed', () => {
    const alerts = planted().observe(telemetry('https://sa.example.cn/h', JSON.stringify({ h: sha256(HOST) }), { ip: ALIBABA_IP }));
    expect(alerts.map((a) => [a.data.value, a.data.form, a.data.canary?.target])).toEqual([[HOST, 'sha256(host)', 'host']]);
  });

  it('prove it in a JSON body a client labelled as a form (curl\'s and many libraries\' default content type)', () => {
    const alerts = planted().observe(telemetry('https://sa.example.cn/h', JSON.stringify({ h: sha256(HOST) }), { ip: ALIBABA_IP, headers: FORM }));
    expect(alerts.map((a) => [a.data.form, a.path])).toEqual([['sha256(host)', 'json:$.h']]);
  });

  it('prove a leak of the search phrase as a search box sends it', () => {
    const alerts = planted().observe(telemetry('https://sa.example.cn/s?q=amber+lantern+orchard', '', { ip: ALIBABA_IP }));
    expect(alerts.map((a) => [a.data.value, a.data.form, a.data.canary?.target])).toEqual([[PHRASE, 'search', 'search']]);
  });

  it('do not turn visiting the canary page, or searching the phrase, into a second (confirmed) alert on the same leak', () => {
    const d = planted();
    expect(d.observe(navigation(PAGE))).toEqual([]);
    expect(d.observe(navigation('https://www.google.com/search?q=amber+lantern+orchard'))).toEqual([]);
    const alerts = d.observe(telemetry('https://sa.example.cn/sa', sensors({ url: PAGE, search_word: PHRASE }), { ip: ALIBABA_IP }));
    expect(alerts.map((a) => [a.confidence, a.data.value])).toEqual([['proven', PAGE], ['proven', PHRASE]]);
  });

  it.each([
    ['one word of the phrase', 'https://sa.example.cn/s?category=lantern'],
    ['two of its words, in another order', 'https://sa.example.cn/s?q=orchard+amber'],
    ["the appliance's canary domain without the round's token", `https://sa.example.cn/s?d=canary.leakwatch.internal`],
    ['another round\'s token', 'https://sa.example.cn/s?u=http%3A%2F%2Fq3w8e2rt.canary.leakwatch.internal%2Famber42'],
  ])('raise nothing for %s', (_what, url) => {
    expect(planted().observe(telemetry(url, '', { ip: ALIBABA_IP }))).toEqual([]);
  });

  it('stop being watched once removed (the watch window over): nothing proven, and the appliance\'s own test pages are never merely suspected', () => {
    const d = planted();
    for (const c of ROUND) d.removeCanary(c);
    const alerts = d.observe(telemetry('https://sa.example.cn/sa', sensors({ url: PAGE }), { ip: ALIBABA_IP, headers: FORM }));
    expect(alerts).toEqual([]);
  });
});
