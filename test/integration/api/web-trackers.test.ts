import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../../appliance/src/detect/index.js';
import { InspectionError } from '../../../appliance/src/inspect/index.js';
import { ALIBABA_IP, testIntel } from '../../support/intel.js';
import { at, flow, navigation } from '../../support/flows.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

const apis: TestApi[] = [];
afterAll(async () => Promise.all(apis.map((t) => t.app.close())));

const PAGE = 'https://www.bbc.com/news/world-asia-china-68213562';

describe('GET /api/web-trackers', () => {
  it("lists, for the admin only, the pages that report themselves to a third party, from the running detector's findings", async () => {
    const detector = new Detector(testIntel());
    detector.observe(navigation(PAGE, { time: at(0) }));
    detector.observe(flow(`https://hm.baidu.com/hm.gif?u=${encodeURIComponent(PAGE)}`, { ip: ALIBABA_IP, time: at(1), headers: { Referer: PAGE, 'Sec-Fetch-Dest': 'image' } }));
    const t = await testApi({ webTrackers: async () => detector.webTrackers() });
    apis.push(t);
    expect((await t.app.inject({ method: 'GET', url: '/api/web-trackers' })).statusCode).toBe(401);
    const r = await t.app.inject({ method: 'GET', url: '/api/web-trackers', headers: { cookie: t.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ trackers: [{ page: 'bbc.com', host: 'hm.baidu.com', chinaLinked: true, chinaLink: 'owned-by', kinds: ['url'], count: 1, lastSeen: at(1) }] });
  });

  it('says so, with a code, when the inspection thread does not answer', async () => {
    const t = await testApi({ webTrackers: async () => Promise.reject(new InspectionError('the inspection thread is not running')) });
    apis.push(t);
    const r = await t.app.inject({ method: 'GET', url: '/api/web-trackers', headers: { cookie: t.cookie } });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ error: 'LW_ERR_INSPECTION_UNAVAILABLE', message: expect.stringContaining('try again') });
  });
});
