import type { PassedThroughHost } from '../api/types.js';
import { timeUntil } from './format.js';

/** Why a host is not inspected, in words a non-expert can act on. Pure: `now` is passed in. */
export function passthroughReason(host: PassedThroughHost, now: number): string {
  if (host.reason === null || host.until === null || host.until <= now) return 'passed through earlier; inspected again now';
  const why = {
    'certificate-rejected': 'an app refused the appliance certificate',
    'repeated-refusals': 'an app hung up on the appliance certificate again and again',
    'refused-after-accepting': 'an app took the appliance certificate before and now refuses it (it may have started pinning, or refuse inspection on purpose)',
  }[host.reason];
  return `${why}; tried again ${timeUntil(host.until, now)}`;
}
