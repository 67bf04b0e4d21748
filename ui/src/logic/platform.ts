/** Which CA instructions fit the phone that opened the page, from its User-Agent. */
export type Platform = 'android' | 'ios' | 'other';

export function detectPlatform(userAgent: string): Platform {
  if (/android/i.test(userAgent)) return 'android';
  if (/iphone|ipad|ipod/i.test(userAgent)) return 'ios';
  return 'other';
}

/** The Android major version from the User-Agent, when it says (Chrome's reduced UA says 10). */
export function androidVersion(userAgent: string): number | undefined {
  const m = /Android (\d+)/i.exec(userAgent);
  return m ? Number(m[1]) : undefined;
}

export interface CaInstructions {
  platform: Platform;
  /** The file to download, from the appliance (public, never the key). */
  download: { href: string; label: string };
  steps: string[];
  /** What the certificate cannot do there: the user must know what stays unseen. */
  limits: string[];
}

const CA = { crt: '/ca/leakwatch-ca.crt', mobileconfig: '/ca/leakwatch.mobileconfig', pem: '/ca/leakwatch-ca.pem' };

export function caInstructions(platform: Platform): CaInstructions {
  switch (platform) {
    case 'android':
      return {
        platform,
        download: { href: CA.crt, label: 'Download the certificate (leakwatch-ca.crt)' },
        steps: [
          'Tap the download button above; Android saves leakwatch-ca.crt (it cannot install it from the browser).',
          'Open Settings → Security & privacy → More security settings → Encryption & credentials → Install a certificate → CA certificate (on Android 10 and older: Settings → Security → Encryption & credentials → Install from storage).',
          'Tap "Install anyway", unlock the phone if asked, and pick leakwatch-ca.crt from Downloads.',
          'Check it under Trusted credentials → User: "leakwatch CA" is listed.',
        ],
        limits: [
          'Chrome on Android trusts it: browsing in Chrome is inspected.',
          'Apps on Android 7 and later ignore certificates you install unless the app opts in; their HTTPS passes through uninspected, and leakwatch lists those hosts under the device as "not seen".',
          'Firefox for Android trusts it only with Settings → About Firefox → tap the logo 5 times → Secret settings → "Use third party CA certificates".',
        ],
      };
    case 'ios':
      return {
        platform,
        download: { href: CA.mobileconfig, label: 'Download the profile (leakwatch.mobileconfig)' },
        steps: [
          'Tap the download button above in Safari and allow the download; iOS says "Profile Downloaded".',
          'Open Settings → General → VPN & Device Management (or "Profile Downloaded" at the top of Settings) → leakwatch → Install, and enter your passcode.',
          'Then Settings → General → About → Certificate Trust Settings → switch on full trust for "leakwatch CA". Without this step nothing is trusted.',
        ],
        limits: [
          'Safari and most apps trust it once full trust is on; apps that pin their certificates pass through uninspected (listed under the device).',
          'Remove it when you are done: Settings → General → VPN & Device Management → leakwatch → Remove Profile.',
        ],
      };
    default:
      return {
        platform,
        download: { href: CA.pem, label: 'Download the certificate (leakwatch-ca.pem)' },
        steps: [
          'Import leakwatch-ca.pem as a trusted certificate authority in your system or browser (Firefox: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import).',
          'On a laptop without transparent mode, also set the browser or system HTTP and HTTPS proxy to this appliance (the setup page shows the port).',
        ],
        limits: ['Programs that pin certificates pass through uninspected.'],
      };
  }
}
