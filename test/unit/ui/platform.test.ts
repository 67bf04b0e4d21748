import { describe, expect, it } from 'vitest';
import { androidVersion, caInstructions, detectPlatform } from '../../../ui/src/logic/platform.js';

const UA = {
  androidChrome: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  miBrowser: 'Mozilla/5.0 (Linux; U; Android 11; en-us; Redmi Note 8 Build/RKQ1.201004.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.116 Mobile Safari/537.36 XiaoMi/MiuiBrowser/13.5.40',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1',
  linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

describe('the phone, from its User-Agent', () => {
  it.each([[UA.androidChrome, 'android'], [UA.miBrowser, 'android'], [UA.iphone, 'ios'], [UA.ipad, 'ios'], [UA.linux, 'other']] as const)('%s is %s', (ua, platform) => {
    expect(detectPlatform(ua)).toBe(platform);
  });

  it('reads the Android version when the User-Agent gives one', () => {
    expect(androidVersion(UA.miBrowser)).toBe(11);
    expect(androidVersion(UA.iphone)).toBeUndefined();
  });

  it('offers Android the .crt with the Settings path and the app limits, iOS the profile and Certificate Trust Settings', () => {
    const android = caInstructions('android');
    expect(android.download.href).toBe('/ca/leakwatch-ca.crt');
    expect(android.steps.join(' ')).toContain('Install a certificate → CA certificate');
    expect(android.limits.join(' ')).toMatch(/Android 7 and later ignore certificates you install unless the app opts in/);
    expect(android.limits.join(' ')).toMatch(/Chrome on Android trusts it/);
    const ios = caInstructions('ios');
    expect(ios.download.href).toBe('/ca/leakwatch.mobileconfig');
    expect(ios.steps.join(' ')).toContain('Certificate Trust Settings');
    expect(caInstructions('other').download.href).toBe('/ca/leakwatch-ca.pem');
  });
});
