import { describe, expect, it } from 'vitest';
import { IntelFileError, parseOverlay } from '../../../appliance/src/intel/index.js';

describe('parseOverlay', () => {
  it.each([
    ['an array', [], 'intel.json: must be a JSON object with "ranges" and/or "domains"'],
    ['ranges that are not an array', { ranges: {} }, 'intel.json: "ranges" must be an array'],
    ['a bad CIDR', { ranges: [{ cidr: '10.0.0.0/8' }, { cidr: '10.0.1.0/24' }, { cidr: '10.99.0.0/33' }] }, 'intel.json: ranges[2].cidr "10.99.0.0/33" is not a valid CIDR (like "10.99.0.0/24" or "2001:db8::/32")'],
    ['a missing CIDR', { ranges: [{ asn: 1 }] }, 'intel.json: ranges[0].cidr null is not a valid CIDR (like "10.99.0.0/24" or "2001:db8::/32")'],
    ['a bad ASN', { ranges: [{ cidr: '10.0.0.0/8', asn: 'AS45102' }] }, 'intel.json: ranges[0].asn "AS45102" is not an AS number'],
    ['a country name', { ranges: [{ cidr: '10.0.0.0/8', country: 'Singapore' }] }, 'intel.json: ranges[0].country "Singapore" is not a two-letter country code like "SG"'],
    ['a misspelt key', { ranges: [{ cidr: '10.0.0.0/8', contry: 'SG' }] }, 'intel.json: ranges[0] has an unknown key "contry" (known: cidr, asn, org, country, chinaLinked)'],
    ['a string for a range', { ranges: ['10.0.0.0/8'] }, 'intel.json: ranges[0] must be an object like {"cidr": "10.99.0.0/24", "asn": 45102}'],
    ['a non-boolean verdict', { ranges: [{ cidr: '10.0.0.0/8', chinaLinked: 'yes' }] }, 'intel.json: ranges[0].chinaLinked must be true or false'],
    ['a domain without owner', { domains: [{ domain: 'x.cn', country: 'CN' }] }, 'intel.json: domains[0].owner must name the owner'],
    ['a bad domain', { domains: [{ domain: 'not a domain', owner: 'X', country: 'CN' }] }, 'intel.json: domains[0].domain "not a domain" is not a domain like "example.cn"'],
    ['a lower-case country', { domains: [{ domain: 'x.cn', owner: 'X', country: 'cn' }] }, 'intel.json: domains[0].country "cn" is not a two-letter country code like "CN"'],
  ])('rejects %s, naming the file and the entry', (_name, json, message) => {
    expect(() => parseOverlay(json, 'intel.json')).toThrow(new IntelFileError(message));
  });

  it('accepts the ARCHITECTURE.md example, recording where each entry came from', () => {
    const parsed = parseOverlay(
      { ranges: [{ cidr: '10.99.0.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }], domains: [{ domain: 'Example.CN', owner: 'Example', country: 'CN' }] },
      'lab.json',
    );
    expect(parsed).toEqual({
      ranges: [{ cidr: { v: 4, first: [0x0a630000], last: [0x0a6300ff], prefix: 24 }, origin: '--intel lab.json range 10.99.0.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }],
      domains: [{ domain: 'example.cn', owner: 'Example', country: 'CN', source: '--intel lab.json', origin: '--intel lab.json domain example.cn' }],
    });
  });
});
