import type { Header } from '../model/index.js';
import { headerValue } from '../model/index.js';

/** What the User-Agent headers of a device's requests say about its operating system. */
export interface DevicePlatform {
  platform: 'android' | 'ios';
  osVersion: string;
}

/** Android browsers and apps (`Android 10;`, `Dalvik/2.1.0 (Linux; U; Android 10; …)`), iOS ones (`iPhone OS 17_1`, `CPU OS 16_6` on iPad). */
function fromUserAgent(ua: string): DevicePlatform | undefined {
  const android = /\bAndroid (\d+(?:\.\d+)*)/.exec(ua);
  if (android) return { platform: 'android', osVersion: android[1]! };
  const ios = /\b(?:iPhone|iPad|iPod)\b.*?\bOS (\d+(?:_\d+)*)/.exec(ua);
  if (ios) return { platform: 'ios', osVersion: ios[1]!.replace(/_/g, '.') };
  return undefined;
}

/**
 * The platform every User-Agent that names one agrees on; undefined when none names one or they
 * disagree (a laptop, or a phone sending a desktop User-Agent), because a guess is no evidence.
 */
export function devicePlatform(requests: readonly (readonly Header[])[]): DevicePlatform | undefined {
  let found: DevicePlatform | undefined;
  for (const headers of requests) {
    const ua = headerValue(headers, 'user-agent');
    const seen = ua === undefined ? undefined : fromUserAgent(ua);
    if (!seen) continue;
    if (found && (found.platform !== seen.platform || found.osVersion !== seen.osVersion)) return undefined;
    found = seen;
  }
  return found;
}
