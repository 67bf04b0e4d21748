import { describe, expect, it } from 'vitest';
import { chinaLinked, chineseCompanyOf } from '../../../appliance/src/intel/index.js';
import type { ChinaNetworkEntry } from '../../../appliance/src/intel/index.js';

const none = new Map<number, ChinaNetworkEntry>();
const listed = new Map<number, ChinaNetworkEntry>([
  [45102, { asn: 45102, company: 'Alibaba Cloud', source: 'https://example.test/alibaba' }],
  [45103, { asn: 45103, company: 'Alibaba Group', source: 'https://example.test/clash', verified: false }],
]);
const xiaomi = { domain: 'miui.com', owner: 'Xiaomi', country: 'CN', source: 'https://example.test/x' };

describe('chineseCompanyOf (organisation names)', () => {
  it.each([
    ['Alibaba (US) Technology Co., Ltd.', 'Alibaba'],
    ['Hangzhou Alibaba Advertising Co.,Ltd.', 'Alibaba'],
    ['Zhejiang Taobao Network Co.,Ltd', 'Alibaba'],
    ['Aliyun Computing Co., LTD', 'Alibaba'],
    ['Shenzhen Tencent Computer Systems Company Limited', 'Tencent'],
    ['HUAWEI CLOUDS', 'Huawei'],
    ['HIPL-AS-AP - HUAWEI INTERNATIONAL PTE. LTD.', 'Huawei'],
    ['Huawei Tech(UAE)FZ-LLC', 'Huawei'],
    ['Beijing Baidu Netcom Science and Technology Co., Ltd.', 'Baidu'],
    ['Bytedance Inc.', 'ByteDance'],
    ['TIKTOK PTE. LTD.', 'ByteDance'],
    ['Beijing Volcano Engine Technology Co., Ltd.', 'ByteDance'],
    ['Beijing Kingsoft Cloud Internet Technology Co., Ltd', 'Kingsoft Cloud'],
    ['UCLOUD INFORMATION TECHNOLOGY (HK) LIMITED', 'UCloud'],
    ['Chinanet', 'China Telecom'],
    ['CHINANET-BACKBONE', 'China Telecom'],
    ['China Telecom Global Limited', 'China Telecom'],
    ['CHINA UNICOM China169 Backbone', 'China Unicom'],
    ['China Mobile International Limited', 'China Mobile'],
    ['China TieTong Telecommunications Corporation', 'China Mobile'],
    // Look-alikes that must not count.
    ['Google LLC', undefined],
    ['Alibi Networks LLC', undefined],
    ['Alibabaville Hosting', undefined],
    ['China Grove Telephone Company', undefined],
    ['Huawei Fan Club e.V.', undefined],
    ['TikTok Fans Ltd', undefined],
    ['Mobile China Restaurant GmbH', undefined],
    ['Amazon.com, Inc.', undefined],
  ])('%s → %s', (org, company) => {
    expect(chineseCompanyOf(org)).toBe(company);
  });
});

const HOSTED = (region: string, name: string) => `hosted in: the address block is registered in ${region} (${name}): the registries' country for the block, not a measured location`;

describe('chinaLinked', () => {
  it('keeps every reason that applied, naming the evidence and its kind; owned-by decides the kind', () => {
    expect(chinaLinked({ asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', country: 'HK' }, xiaomi, listed)).toEqual({
      chinaLinked: true,
      link: 'owned-by',
      reasons: [
        'owned by: network AS45102 "Alibaba (US) Technology Co., Ltd." belongs to Alibaba Cloud (china-linked networks list)',
        'owned by: domain miui.com is owned by Xiaomi (CN)',
        HOSTED('HK', 'Hong Kong'),
      ],
    });
  });

  it('says when the listed network is an unverified entry', () => {
    expect(chinaLinked({ asn: 45103 }, undefined, listed).reasons).toEqual(['owned by: network AS45103 belongs to Alibaba Group (china-linked networks list, unverified entry)']);
  });

  it('recognises an unlisted ASN by its organisation name', () => {
    expect(chinaLinked({ asn: 64512, org: 'Shenzhen Tencent Computer Systems Company Limited', country: 'DE' }, undefined, none)).toEqual({
      chinaLinked: true,
      link: 'owned-by',
      reasons: ['owned by: network AS64512 "Shenzhen Tencent Computer Systems Company Limited" is registered to Tencent (organisation name)'],
    });
  });

  it.each([
    ['CN', 'mainland China', true],
    ['HK', 'Hong Kong', true],
    ['MO', 'Macau', true],
    ['SG', '', false],
    ['TW', '', false],
  ])('counts an address block registered in %s as hosted in %s: %s', (country, name, expected) => {
    expect(chinaLinked({ country }, undefined, none)).toEqual(expected ? { chinaLinked: true, link: 'hosted-in', reasons: [HOSTED(country, name)] } : { chinaLinked: false, reasons: [] });
  });

  it('lets the policy turn hosted-in reasons off: a US cloud\'s Hong Kong region is then not china-linked, an owned-by reason still is', () => {
    const mainlandOnly = { hostedInMainlandChina: true, hostedInHongKongMacau: false };
    const ownershipOnly = { hostedInMainlandChina: false, hostedInHongKongMacau: false };
    const awsHongKong = { asn: 16509, org: 'Amazon.com, Inc.', country: 'HK' };
    expect(chinaLinked(awsHongKong, undefined, none, undefined, mainlandOnly)).toEqual({ chinaLinked: false, reasons: [] });
    expect(chinaLinked({ country: 'MO' }, undefined, none, undefined, mainlandOnly)).toEqual({ chinaLinked: false, reasons: [] });
    expect(chinaLinked({ country: 'CN' }, undefined, none, undefined, mainlandOnly)).toEqual({ chinaLinked: true, link: 'hosted-in', reasons: [HOSTED('CN', 'mainland China')] });
    expect(chinaLinked({ country: 'CN' }, undefined, none, undefined, ownershipOnly)).toEqual({ chinaLinked: false, reasons: [] });
    expect(chinaLinked({ asn: 45102, country: 'HK' }, undefined, listed, undefined, ownershipOnly)).toEqual({
      chinaLinked: true,
      link: 'owned-by',
      reasons: ['owned by: network AS45102 belongs to Alibaba Cloud (china-linked networks list)'],
    });
  });

  it('does not count a domain owner outside CN/HK/MO', () => {
    expect(chinaLinked(undefined, { ...xiaomi, domain: 'google.com', owner: 'Google', country: 'US' }, none)).toEqual({ chinaLinked: false, reasons: [] });
  });

  it('lets an overlay force the verdict either way, saying who forced it', () => {
    expect(chinaLinked({ country: 'CN' }, xiaomi, none, { chinaLinked: false, by: '--intel lab.json range 10.0.0.0/8' })).toEqual({ chinaLinked: false, reasons: [] });
    expect(chinaLinked(undefined, undefined, none, { chinaLinked: true, by: '--intel lab.json range 10.0.0.0/8' })).toEqual({
      chinaLinked: true,
      link: 'owned-by',
      reasons: ['owned by: marked china-linked by --intel lab.json range 10.0.0.0/8'],
    });
    expect(chinaLinked({ country: 'CN' }, undefined, none, { chinaLinked: true, by: 'x' }).reasons).toEqual([HOSTED('CN', 'mainland China')]);
  });
});
