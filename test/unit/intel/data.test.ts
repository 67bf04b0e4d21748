import { describe, expect, it } from 'vitest';
import { builtInNetworks, builtInOwners, chineseCompanyOf } from '../../../appliance/src/intel/index.js';
import type { ChinaNetworkEntry, DomainOwner } from '../../../appliance/src/intel/index.js';

const owners = builtInOwners as DomainOwner[];
const networks = builtInNetworks as ChinaNetworkEntry[];

describe('curated lists', () => {
  it('give a public URL as source for every domain owner and every china-linked network', () => {
    expect([...owners, ...networks].filter((e) => typeof e.source !== 'string' || !/https:\/\/\S+\.\S+/.test(e.source))).toEqual([]);
  });

  it('list no domain and no ASN twice', () => {
    expect(owners.length).toBe(new Set(owners.map((o) => o.domain)).size);
    expect(networks.length).toBe(new Set(networks.map((n) => n.asn)).size);
  });

  it('use two-letter country codes and lower-case domains', () => {
    expect(owners.filter((o) => !/^[A-Z]{2}$/.test(o.country) || o.domain !== o.domain.toLowerCase())).toEqual([]);
  });

  it.each(['google-analytics.com', 'doubleclick.net', 'app-measurement.com', 'facebook.net', 'adjust.com', 'appsflyer.com', 'sensorsdata.cn', 'umeng.com', 'jpush.cn', 'rayjump.com'])(
    'names the owner of %s',
    (domain) => {
      expect(owners.find((o) => o.domain === domain)?.owner).toBeTypeOf('string');
    },
  );
});

describe('china-networks.json', () => {
  it('records each verified ASN under the name the database gives it, a name the org patterns also recognise', () => {
    const mismatched = networks
      .filter((n) => n.verified !== false)
      .filter((n) => !n.registeredAs || chineseCompanyOf(n.registeredAs) === undefined);
    expect(mismatched).toEqual([]);
  });
});
