import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IntelFileError, IntelNotBuiltError, loadIntel, loadIpDatabase } from '../../../appliance/src/intel/index.js';
import type { Intel } from '../../../appliance/src/intel/index.js';
import { realDatabaseDir } from './real-database.js';

let intel: Intel;
let databaseDir: string;
beforeAll(async () => {
  databaseDir = await realDatabaseDir();
  intel = await loadIntel({ databaseDir });
}, 60_000);

describe('the real offline IP database (built from @ip-location-db)', () => {
  it.each([
    // Checked answers from STACK-NOTES.md. Country alone would miss the first three and 47.88.1.1 in particular.
    ['47.88.1.1', 45102, 'Alibaba (US) Technology Co., Ltd.', 'US', true],
    ['8.219.10.20', 45102, 'Alibaba (US) Technology Co., Ltd.', 'SG', true],
    ['43.156.10.3', 132203, 'Shenzhen Tencent Computer Systems Company Limited', 'SG', true],
    ['159.138.8.9', 136907, 'HUAWEI INTERNATIONAL PTE. LTD.', 'HK', true],
    ['180.76.1.2', 55967, 'Beijing Baidu Netcom Science and Technology Co., Ltd.', 'CN', true],
    ['203.107.1.1', 37963, 'Hangzhou Alibaba Advertising Co.,Ltd.', 'CN', true],
    ['8.8.8.8', 15169, 'Google LLC', 'US', false],
    ['::ffff:47.88.1.1', 45102, 'Alibaba (US) Technology Co., Ltd.', 'US', true],
    ['2a00:1450:4001:80b::200e', 15169, 'Google LLC', 'IE', false],
    ['240e:e9:6002::1', 4134, 'Chinanet', 'CN', true],
  ])('attributes %s to AS%i %s in %s (china-linked: %s)', (ip, asn, org, country, china) => {
    const a = intel.attribute('t.example.org', ip, 443);
    expect([a.asn, a.org, a.country, a.chinaLinked]).toEqual([asn, org, country, china]);
  });

  it('finds 47.88.1.1 china-linked through its ASN although it geolocates to the US', () => {
    expect(intel.attribute('t.example.org', '47.88.1.1', 443).reasons).toEqual([
      'owned by: network AS45102 "Alibaba (US) Technology Co., Ltd." belongs to Alibaba Cloud (international) (china-linked networks list)',
    ]);
  });

  it('names the Xiaomi collector on Alibaba Singapore with both reasons', () => {
    expect(intel.attribute('sa.api.intl.miui.com', '8.219.10.20', 443)).toEqual({
      host: 'sa.api.intl.miui.com',
      ip: '8.219.10.20',
      port: 443,
      asn: 45102,
      org: 'Alibaba (US) Technology Co., Ltd.',
      country: 'SG',
      owner: 'Xiaomi',
      ownerCountry: 'CN',
      registrableDomain: 'miui.com',
      chinaLinked: true,
      chinaLink: 'owned-by',
      reasons: [
        'owned by: network AS45102 "Alibaba (US) Technology Co., Ltd." belongs to Alibaba Cloud (international) (china-linked networks list)',
        'owned by: domain miui.com is owned by Xiaomi (CN)',
      ],
    });
  });

  // The npm data places 192.168.0.0/16 and 203.0.113.0/24 in AU and 2001:db8::/32 in JP.
  it.each(['10.1.2.3', '172.16.5.5', '192.168.1.1', '203.0.113.1', '100.64.1.1', '127.0.0.1', 'fd00::1', 'fe80::1', '2001:db8::1', 'ff02::fb'])(
    'gives no network or country for the special-purpose address %s',
    (ip) => {
      expect(intel.lookupIp(ip)).toBeUndefined();
    },
  );

  it('says to run the build when the tables are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'lw-intel-none-'));
    expect(() => loadIpDatabase(empty)).toThrow(IntelNotBuiltError);
    expect(() => loadIpDatabase(empty)).toThrow(`IP database not built — run \`npm run build\` (looked for ${join(empty, 'ipv4-asn.bin')})`);
  });
});

describe('loadIntel with --intel files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-intel-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('lets an overlay range stand for a real network, over the database', async () => {
    const lab = await loadIntel({ databaseDir, overlayFiles: [file('lab.json', { ranges: [{ cidr: '8.8.8.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }] })] });
    expect(lab.attribute('dns.google', '8.8.8.8', 53)).toMatchObject({ asn: 45102, org: 'Alibaba Cloud', country: 'SG', chinaLinked: true });
    expect(lab.attribute('dns.google', '8.8.4.4', 53)).toMatchObject({ asn: 15169, chinaLinked: false });
  });

  it('says which file it cannot read or parse', async () => {
    await expect(loadIntel({ databaseDir, overlayFiles: [join(dir, 'missing.json')] })).rejects.toThrow(`${join(dir, 'missing.json')}: cannot read the --intel file (ENOENT)`);
    await expect(loadIntel({ databaseDir, overlayFiles: [file('bad.json', '{ranges:')] })).rejects.toThrow(/bad\.json: the --intel file is not valid JSON/);
    await expect(loadIntel({ databaseDir, overlayFiles: [file('bad.json', '{ranges:')] })).rejects.toBeInstanceOf(IntelFileError);
  });
});
