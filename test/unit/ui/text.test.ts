import { describe, expect, it } from 'vitest';
import { alertTitle, chinaLinkBadge, chinaLinkMeaning, receiverLine } from '../../../ui/src/logic/alert-text.js';
import { base64Bytes, hexDump } from '../../../ui/src/logic/hex.js';
import { splitHighlight } from '../../../ui/src/logic/highlight.js';
import { href, parseRoute } from '../../../ui/src/logic/route.js';
import { groupTraffic } from '../../../ui/src/logic/traffic.js';

describe('evidence as text', () => {
  it('dumps binary bodies as hex with printable ASCII, bounded', () => {
    const bytes = base64Bytes(Buffer.from('PK\u0003\u0004<script>alert(1)</script>').toString('base64'));
    expect(hexDump(bytes)).toEqual([
      '00000000  50 4b 03 04 3c 73 63 72 69 70 74 3e 61 6c 65 72  |PK..<script>aler|',
      '00000010  74 28 31 29 3c 2f 73 63 72 69 70 74 3e           |t(1)</script>|',
    ]);
    expect(hexDump(new Uint8Array(40), 16)).toEqual(['00000000  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  |................|', '… 24 more bytes']);
  });

  it('splits the excerpt around the match, clamping offsets that do not fit', () => {
    expect(splitHighlight('{"url":"https://a.example/x"}', [8, 27])).toEqual(['{"url":"', 'https://a.example/x', '"}']);
    expect(splitHighlight('short', [3, 99])).toEqual(['sho', 'rt', '']);
    expect(splitHighlight('short', [9, 2])).toEqual(['short', '', '']);
  });

  it('titles an alert by what kind of browsing left and names the receiver', () => {
    const destination = { host: 'sa.api.intl.miui.com', port: 443, owner: 'Xiaomi', org: 'Alibaba (US) Technology Co., Ltd.', country: 'SG', chinaLinked: true, reasons: [] };
    expect(alertTitle({ data: { kind: 'search', value: 'x', matched: 'x', form: 'search' }, destination })).toBe('A search was sent to sa.api.intl.miui.com');
    expect(receiverLine(destination)).toBe('Xiaomi (Alibaba (US) Technology Co., Ltd., SG)');
    expect(receiverLine({ host: 'h.example', port: 443, chinaLinked: false, reasons: [] })).toBe('h.example');
  });

  it('says which kind of china link it is: owned, or only hosted in a region (never just "china-linked")', () => {
    expect(chinaLinkBadge({ chinaLinked: true, chinaLink: 'owned-by', country: 'SG' })).toBe('china-linked: owned');
    expect(chinaLinkBadge({ chinaLinked: true, chinaLink: 'hosted-in', country: 'HK' })).toBe('china-linked: hosted in HK');
    expect(chinaLinkBadge({ chinaLinked: false, country: 'HK' })).toBe('');
    expect(chinaLinkMeaning({ chinaLinked: true, chinaLink: 'hosted-in' })).toMatch(/^Hosted in only: .*not a measured location.*No Chinese owner/);
    expect(chinaLinkMeaning({ chinaLinked: true, chinaLink: 'owned-by' })).toMatch(/^Owned by: /);
  });
});

describe('addresses of views', () => {
  it.each([
    ['', { view: 'alerts' }], ['#/devices', { view: 'devices' }], ['#/alerts/a%2Fb', { view: 'alert', id: 'a/b' }],
    ['#/devices/da:a1:19:3c:4e:01', { view: 'device', id: 'da:a1:19:3c:4e:01' }], ['#/alerts?device=phone-a', { view: 'alerts', device: 'phone-a' }],
    ['#/nonsense', { view: 'alerts' }], ['#/flows/%E0%A4%A', { view: 'flows' }],
  ])('%s', (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it('makes addresses that parse back to the same view', () => {
    expect(parseRoute(href('alert', 'proxy:abc:1/x'))).toEqual({ view: 'alert', id: 'proxy:abc:1/x' });
    expect(href('canary')).toBe('#/canary');
  });
});

describe('traffic by company and country', () => {
  it('sums bytes per group, china-linked if any member is, members busiest first', () => {
    const peers = [
      { peer: '8.219.10.20', name: 'sa.api.intl.miui.com', bytesOut: 100, bytesIn: 900, network: { org: 'Alibaba (US) Technology Co., Ltd.', country: 'SG', chinaLinked: true } },
      { peer: '47.88.1.1', bytesOut: 5000, bytesIn: 0, network: { org: 'Alibaba (US) Technology Co., Ltd.', country: 'US', chinaLinked: true } },
      { peer: '8.8.8.8', bytesOut: 10, bytesIn: 10, network: { org: 'Google LLC', country: 'US', chinaLinked: false } },
      { peer: '10.0.0.9', bytesOut: 1, bytesIn: 1 },
    ];
    expect(groupTraffic(peers, 'company')).toEqual([
      { label: 'Alibaba (US) Technology Co., Ltd.', bytes: 6000, chinaLinked: true, members: ['47.88.1.1', 'sa.api.intl.miui.com'] },
      { label: 'Google LLC', bytes: 20, chinaLinked: false, members: ['8.8.8.8'] },
      { label: 'unknown network', bytes: 2, chinaLinked: false, members: ['10.0.0.9'] },
    ]);
    expect(groupTraffic(peers, 'country').map((g) => [g.label, g.bytes, g.chinaLinked])).toEqual([['US', 5020, true], ['SG', 1000, true], ['unknown country', 2, false]]);
  });
});
