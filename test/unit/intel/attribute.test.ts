import { describe, expect, it } from 'vitest';
import { createIntel, parseOverlay } from '../../../appliance/src/intel/index.js';
import type { IpDatabase } from '../../../appliance/src/intel/index.js';
import { bufferSource } from '../../../appliance/src/intel/byte-source.js';
import { RangeTable, serialiseTable } from '../../../appliance/src/intel/ip-table.js';

// A two-range database: 47.88.0.0/16 is Alibaba's US-registered network, 8.8.8.0/24 Google's.
const db: IpDatabase = {
  v4Asn: RangeTable.open(1, bufferSource(serialiseTable(1, [0x08080800, 0x2f580000], [0x080808ff, 0x2f58ffff], [0, 1]))),
  v4Country: RangeTable.open(1, bufferSource(serialiseTable(1, [0x08080800, 0x2f580000], [0x080808ff, 0x2f58ffff], [0, 0]))),
  asnRecord: (value) => [{ asn: 15169, org: 'Google LLC' }, { asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.' }][value],
  countries: ['US'],
};
const owners = [
  { domain: 'miui.com', owner: 'Xiaomi', country: 'CN', source: 'https://example.test/xiaomi' },
  { domain: 'edgesuite.net', owner: 'Akamai', country: 'US', source: 'https://example.test/akamai' },
  { domain: 'mistat.intl.xiaomi.com.edgesuite.net', owner: 'Xiaomi', country: 'CN', source: 'https://example.test/xiaomi' },
];
const networks = [{ asn: 45102, company: 'Alibaba Cloud', source: 'https://example.test/alibaba' }];
const intel = createIntel({ db, owners, networks });
const ALIBABA_REASON = 'owned by: network AS45102 "Alibaba (US) Technology Co., Ltd." belongs to Alibaba Cloud (china-linked networks list)';

describe('attribute', () => {
  it('fills every field for a host and its address', () => {
    expect(intel.attribute('SA.api.intl.miui.com.', '47.88.1.1', 443)).toEqual({
      host: 'SA.api.intl.miui.com.', ip: '47.88.1.1', port: 443, asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', country: 'US',
      owner: 'Xiaomi', ownerCountry: 'CN', registrableDomain: 'miui.com', chinaLinked: true, chinaLink: 'owned-by',
      reasons: [ALIBABA_REASON, 'owned by: domain miui.com is owned by Xiaomi (CN)'],
    });
  });

  it('attributes by domain alone when no address is known', () => {
    expect(intel.attribute('tracking.miui.com', undefined, 443)).toEqual({
      host: 'tracking.miui.com', port: 443, owner: 'Xiaomi', ownerCountry: 'CN', registrableDomain: 'miui.com', chinaLinked: true, chinaLink: 'owned-by',
      reasons: ['owned by: domain miui.com is owned by Xiaomi (CN)'],
    });
  });

  it('takes an IP-literal host as its own address, with no owner or registrable domain', () => {
    expect(intel.attribute('47.88.1.1', undefined, 80)).toEqual({
      host: '47.88.1.1', ip: '47.88.1.1', port: 80, asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', country: 'US', chinaLinked: true, chinaLink: 'owned-by', reasons: [ALIBABA_REASON],
    });
  });

  it('says nothing china-linked about an unknown host on an unknown address', () => {
    expect(intel.attribute('news.example.org', '9.9.9.9', 443)).toEqual({ host: 'news.example.org', ip: '9.9.9.9', port: 443, registrableDomain: 'example.org', chinaLinked: false, reasons: [] });
  });
});

describe('domain owners', () => {
  it.each([
    ['mistat.intl.xiaomi.com.edgesuite.net', 'Xiaomi'],
    ['a.mistat.intl.xiaomi.com.edgesuite.net', 'Xiaomi'],
    ['a1234.dscb.akamai.edgesuite.net', 'Akamai'],
    ['MIUI.COM.', 'Xiaomi'],
    ['xmiui.com', undefined],
    ['miui.com.evil.example', undefined],
  ])('%s → %s', (host, owner) => {
    expect(intel.lookupDomain(host)?.owner).toBe(owner);
  });
});

describe('overlays in createIntel', () => {
  const lab = parseOverlay(
    {
      ranges: [
        { cidr: '47.88.1.0/24', asn: 64500, org: 'Lab Cloud', country: 'DE' },
        { cidr: '47.88.1.128/25', chinaLinked: false },
        { cidr: 'fd00:99::/32', org: 'Lab v6', chinaLinked: true },
      ],
      domains: [{ domain: 'example.cn', owner: 'Example', country: 'CN' }, { domain: 'miui.com', owner: 'Lab Xiaomi', country: 'DE', chinaLinked: false }],
    },
    'lab.json',
  );
  const withLab = createIntel({ db, owners, networks, overlays: [lab] });

  it('wins over the database, most specific range first', () => {
    expect(withLab.lookupIp('47.88.1.1')).toEqual({ asn: 64500, org: 'Lab Cloud', country: 'DE' });
    expect(withLab.attribute('h.example.org', '47.88.1.200', 443)).toMatchObject({ chinaLinked: false, reasons: [] });
    expect(withLab.lookupIp('47.88.2.1')).toEqual({ asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', country: 'US' });
  });

  it('forces a verdict on IPv6 ranges and domains, naming the overlay entry', () => {
    expect(withLab.attribute('v6.lab.test', 'fd00:99::5', 443)).toMatchObject({ org: 'Lab v6', chinaLinked: true, reasons: ['owned by: marked china-linked by --intel lab.json range fd00:99::/32'] });
    expect(withLab.attribute('www.example.cn', undefined, 443)).toMatchObject({ owner: 'Example', chinaLinked: true, reasons: ['owned by: domain example.cn is owned by Example (CN)'] });
    expect(withLab.attribute('sa.api.intl.miui.com', undefined, 443)).toMatchObject({ owner: 'Lab Xiaomi', chinaLinked: false, reasons: [] });
  });

  it('lets a later file win over an earlier one for the same range', () => {
    const first = parseOverlay({ ranges: [{ cidr: '10.0.0.0/8', asn: 1 }] }, 'a.json');
    const second = parseOverlay({ ranges: [{ cidr: '10.0.0.0/8', asn: 2 }] }, 'b.json');
    expect(createIntel({ owners: [], networks: [], overlays: [first, second] }).lookupIp('10.1.1.1')).toEqual({ asn: 2 });
  });
});
