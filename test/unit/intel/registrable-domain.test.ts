import { describe, expect, it } from 'vitest';
import { registrableDomain } from '../../../appliance/src/intel/index.js';

describe('registrableDomain', () => {
  it.each([
    ['sa.api.intl.miui.com', 'miui.com'],
    ['www.bbc.co.uk', 'bbc.co.uk'],
    ['bbc.co.uk', 'bbc.co.uk'],
    ['foo.github.io', 'foo.github.io'],
    ['bar.github.io', 'bar.github.io'],
    ['WWW.Example.ORG.', 'example.org'],
    // edgesuite.net is a private suffix (Akamai customers are separate parties); the owner list matches the full name.
    ['mistat.intl.xiaomi.com.edgesuite.net', 'com.edgesuite.net'],
    // aliyuncs.com is not split by the PSL: every Alibaba Cloud customer host shares one registrable domain.
    ['adash.man.aliyuncs.com', 'aliyuncs.com'],
    ['bucket.oss-cn-hangzhou.aliyuncs.com', 'aliyuncs.com'],

    ['co.uk', undefined],
    ['192.168.1.1', undefined],
    ['[2001:db8::1]', undefined],
    ['2001:db8::1', undefined],
    ['localhost', undefined],
    ['', undefined],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});
