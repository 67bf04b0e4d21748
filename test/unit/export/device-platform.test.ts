import { describe, expect, it } from 'vitest';
import { devicePlatform } from '../../../appliance/src/export/device-platform.js';

const ua = (value: string) => [{ name: 'user-agent', value }];

describe('devicePlatform', () => {
  it.each([
    ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36', { platform: 'android', osVersion: '10' }],
    ['an Android app (Dalvik)', 'Dalvik/2.1.0 (Linux; U; Android 13.1; M2101K6G Build/TKQ1)', { platform: 'android', osVersion: '13.1' }],
    ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile/15E148 Safari/604.1', { platform: 'ios', osVersion: '17.1.2' }],
    ['Safari on iPad', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15', { platform: 'ios', osVersion: '16.6' }],
    ['a desktop browser', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', undefined],
    ['an iOS app (CFNetwork says no OS version)', 'MyApp/1.0 CFNetwork/1490.0.4 Darwin/23.2.0', undefined],
  ])('reads %s', (_name, value, expected) => {
    expect(devicePlatform([ua(value)])).toEqual(expected);
  });

  it('gives nothing when the requests disagree, and ignores requests without a User-Agent', () => {
    const android = ua('Dalvik/2.1.0 (Linux; U; Android 10; X)');
    expect(devicePlatform([android, [], android])).toEqual({ platform: 'android', osVersion: '10' });
    expect(devicePlatform([android, ua('Mozilla/5.0 (Linux; Android 11; X)')])).toBeUndefined();
  });
});
