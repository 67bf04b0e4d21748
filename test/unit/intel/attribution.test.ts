import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInNetworks, builtInOwners, IntelFileError, loadIntel, registrableDomain } from '../../../appliance/src/intel/index.js';
import type { Intel } from '../../../appliance/src/intel/index.js';

let intel: Intel;
beforeAll(async () => {
  intel = await loadIntel();
});

describe('the offline IP database (built from @ip-location-db)', () => {
  it.each([
    // Checked answers from STACK-NOTES.md. Country alone would miss the first, second and fourth.
    ['47.88.1.1', 45102, 'US', true],
    ['8.219.10.20', 45102, 'SG', true],
    ['43.156.10.3', 132203, 'SG', true],
    ['159.138.8.9', 136907, 'HK', true],
    ['180.76.1.2', 55967, 'CN', true],
    ['203.107.1.1', 37963, 'CN', true],
    ['8.8.8.8', 15169, 'US', false],
    ['2a00:1450:4001:80b::200e', 15169, 'IE', false],
    ['240e:e9:6002::1', 4134, 'CN', true],
    ['::ffff:47.88.1.1', 45102, 'US', true],
  ])('attributes %s to AS%i in %s (china-linked: %s)', (ip, asn, country, china) => {
    const a = intel.attribute('t.example.org', ip, 443);
    expect([a.asn, a.country, a.chinaLinked]).toEqual([asn, country, china]);
  });

  it('says why a receiver is china-linked, every reason that applied', () => {
    expect(intel.attribute('sa.api.intl.miui.com', '8.219.10.20', 443)).toMatchObject({
      owner: 'Xiaomi',
      ownerCountry: 'CN',
      registrableDomain: 'miui.com',
      chinaLinked: true,
      reasons: [
        'network AS45102 "Alibaba (US) Technology Co., Ltd." belongs to Alibaba Cloud (international) (china-linked networks list)',
        'domain miui.com is owned by Xiaomi (CN)',
      ],
    });
  });

  it('attributes by domain alone when no IP is known, and an IP-literal host by its address', () => {
    expect(intel.attribute('ulogs.umeng.com', undefined, 443)).toMatchObject({ owner: 'Alibaba Group', chinaLinked: true });
    expect(intel.attribute('203.107.1.1', undefined, 80)).toMatchObject({ ip: '203.107.1.1', asn: 37963, chinaLinked: true });
    expect(intel.attribute('news.example.org', undefined, 443)).toMatchObject({ chinaLinked: false, reasons: [] });
  });

  it('names a CDN name by its most specific entry', () => {
    expect(intel.lookupDomain('mistat.intl.xiaomi.com.edgesuite.net')?.owner).toBe('Xiaomi');
    expect(intel.lookupDomain('a1234.dscb.akamai.edgesuite.net')?.owner).toBe('Akamai');
  });
});

describe('--intel overlays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-intel-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('makes lab addresses stand for real networks, most specific range first', async () => {
    const overlay = file('lab.json', {
      ranges: [
        { cidr: '10.99.0.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' },
        { cidr: '10.99.0.128/25', asn: 13335, org: 'Cloudflare, Inc.', country: 'US' },
        { cidr: 'fd00:99::/32', org: 'Lab v6', country: 'DE', chinaLinked: true },
      ],
      domains: [{ domain: 'example.cn', owner: 'Example', country: 'CN' }],
    });
    const lab = await loadIntel({ overlayFiles: [overlay] });
    expect(lab.attribute('sa.lab.test', '10.99.0.20', 443)).toMatchObject({ asn: 45102, org: 'Alibaba Cloud', country: 'SG', chinaLinked: true });
    expect(lab.attribute('cdn.lab.test', '10.99.0.200', 443)).toMatchObject({ asn: 13335, chinaLinked: false });
    expect(lab.attribute('v6.lab.test', 'fd00:99::5', 443)).toMatchObject({ chinaLinked: true, reasons: ['marked china-linked by an --intel overlay'] });
    expect(lab.attribute('www.example.cn', undefined, 443)).toMatchObject({ owner: 'Example', chinaLinked: true });
  });

  it.each([
    ['not JSON', '{ranges:', /bad\.json: the --intel file is not valid JSON/],
    ['a bad CIDR', { ranges: [{ cidr: '10.99.0.0/33' }] }, /bad\.json: ranges\[0\]\.cidr "10\.99\.0\.0\/33" is not a valid CIDR/],
    ['a bad country', { ranges: [{ cidr: '10.0.0.0/8', country: 'Singapore' }] }, /ranges\[0\]\.country "Singapore" is not a two-letter country code/],
    ['a domain without owner', { domains: [{ domain: 'x.cn', country: 'CN' }] }, /domains\[0\]\.owner must name the owner/],
    ['an array', [], /must be a JSON object/],
  ])('rejects %s with a message naming the file and entry', async (_name, content, message) => {
    await expect(loadIntel({ overlayFiles: [file('bad.json', content)] })).rejects.toThrow(message);
    await expect(loadIntel({ overlayFiles: [file('bad.json', content)] })).rejects.toBeInstanceOf(IntelFileError);
  });

  it('says which file it cannot read', async () => {
    await expect(loadIntel({ overlayFiles: [join(dir, 'missing.json')] })).rejects.toThrow(/missing\.json: cannot read the --intel file \(ENOENT\)/);
  });
});

describe('curated lists', () => {
  it('give a source for every domain owner and every china-linked network', () => {
    const unsourced = [...builtInOwners, ...builtInNetworks].filter((e) => typeof e.source !== 'string' || e.source.length < 10);
    expect(unsourced).toEqual([]);
  });

  it('list no domain twice', () => {
    const domains = builtInOwners.map((o) => o.domain);
    expect(domains.length).toBe(new Set(domains).size);
  });
});

describe('registrableDomain', () => {
  it.each([
    ['sa.api.intl.miui.com', 'miui.com'],
    ['www.bbc.co.uk', 'bbc.co.uk'],
    ['foo.github.io', 'foo.github.io'],
    ['WWW.Example.ORG.', 'example.org'],
    ['192.168.1.1', undefined],
    ['[2001:db8::1]', undefined],
    ['localhost', undefined],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});
