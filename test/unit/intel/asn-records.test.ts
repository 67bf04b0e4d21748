import { describe, expect, it } from 'vitest';
import { openAsnRecords, serialiseAsnRecords, serialiseOrgs } from '../../../appliance/src/intel/asn-records.js';
import { bufferSource } from '../../../appliance/src/intel/byte-source.js';

describe('ASN records read in place', () => {
  const orgs = ['Google LLC', '', 'Beijing Baidu Netcom Science and Technology Co., Ltd.', '北京百度网讯科技有限公司'];
  const records = openAsnRecords(bufferSource(serialiseAsnRecords([[15169, 0], [64500, 1], [55967, 3], [4134, 9]])), bufferSource(serialiseOrgs(orgs)));

  it('answers each value with its ASN and organisation, UTF-8 names whole', () => {
    expect([records(0), records(2)]).toEqual([{ asn: 15169, org: 'Google LLC' }, { asn: 55967, org: '北京百度网讯科技有限公司' }]);
  });

  it('leaves the organisation out when its name is empty or its index is out of range', () => {
    expect([records(1), records(3)]).toEqual([{ asn: 64500 }, { asn: 4134 }]);
  });

  it('answers nothing past the last record', () => {
    expect([records(4), records(-1)]).toEqual([undefined, undefined]);
  });

  it('refuses files whose sizes do not add up', () => {
    const names = serialiseOrgs(orgs);
    expect(() => openAsnRecords(bufferSource(Buffer.alloc(8)), bufferSource(names.subarray(0, names.length - 1)))).toThrow(/organisation names file is \d+ bytes/);
    expect(() => openAsnRecords(bufferSource(Buffer.alloc(8)), bufferSource(Buffer.alloc(2)))).toThrow(/organisation names file is 2 bytes/);
    expect(() => openAsnRecords(bufferSource(Buffer.alloc(12)), bufferSource(names))).toThrow('ASN records file is 12 bytes, not whole (asn, organisation) pairs');
  });
});
