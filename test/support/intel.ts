import type { Attribution } from '../../appliance/src/model/index.js';
import type { DomainOwner, Intel, NetworkInfo } from '../../appliance/src/intel/types.js';

/**
 * A small in-memory Intel for unit tests of the pure detector: receivers on the Alibaba test
 * address are china-linked, everything else is not. The real attribution has its own tests.
 */
export const ALIBABA_IP = '8.219.10.20';
export const US_IP = '34.120.0.1';

export function testIntel(): Intel {
  const networks: Record<string, NetworkInfo> = {
    [ALIBABA_IP]: { asn: 45102, org: 'Alibaba (US) Technology Co., Ltd.', country: 'SG' },
    [US_IP]: { asn: 396982, org: 'Google LLC', country: 'US' },
  };
  return {
    lookupIp: (ip) => networks[ip],
    lookupDomain: (): DomainOwner | undefined => undefined,
    attribute(host, ip, port): Attribution {
      const net = ip ? networks[ip] : undefined;
      const chinaLinked = net?.asn === 45102;
      return {
        host, port, ...(ip ? { ip } : {}), ...(net ?? {}),
        chinaLinked,
        ...(chinaLinked ? { chinaLink: 'owned-by' as const } : {}),
        reasons: chinaLinked ? ['owned by: network AS45102 belongs to Alibaba Cloud (test intel)'] : [],
      };
    },
  };
}
