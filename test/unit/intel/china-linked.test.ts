import { describe, expect, it } from 'vitest';
import { chinaLinked } from '../../../appliance/src/intel/index.js';

const none = new Map();

describe('chinaLinked by organisation name', () => {
  it.each([
    ['Alibaba (US) Technology Co., Ltd.', true],
    ['Hangzhou Alibaba Advertising Co.,Ltd.', true],
    ['Shenzhen Tencent Computer Systems Company Limited', true],
    ['HUAWEI CLOUDS', true],
    ['Beijing Baidu Netcom Science and Technology Co., Ltd.', true],
    ['CHINANET-BACKBONE', true],
    ['China Unicom China169 Backbone', true],
    ['Kingsoft Cloud', true],
    ['Google LLC', false],
    ['Alibi Networks LLC', false],
    ['China Grove Telephone Company', false],
    ['Huawei Fan Club e.V.', false],
    ['Amazon.com, Inc.', false],
  ])('%s → %s', (org, expected) => {
    expect(chinaLinked({ asn: 64512, org, country: 'US' }, undefined, none).chinaLinked).toBe(expected);
  });

  it('counts CN, HK and MO geolocation, not other countries', () => {
    expect(chinaLinked({ country: 'MO' }, undefined, none)).toEqual({ chinaLinked: true, reasons: ['IP geolocates to MO'] });
    expect(chinaLinked({ country: 'SG' }, undefined, none)).toEqual({ chinaLinked: false, reasons: [] });
  });

  it('lets an overlay force the verdict either way', () => {
    expect(chinaLinked({ country: 'CN' }, undefined, none, false)).toEqual({ chinaLinked: false, reasons: [] });
    expect(chinaLinked(undefined, undefined, none, true).chinaLinked).toBe(true);
  });
});
