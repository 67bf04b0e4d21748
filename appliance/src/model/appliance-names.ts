/**
 * Names the hotspot's DNS answers itself (provisioning/dnsmasq/leakwatch.conf): they never leave
 * the appliance, and no other resolver knows them (`.internal` is reserved for private use).
 */
export const APPLIANCE_DOMAIN = 'leakwatch.internal';

/**
 * Self-test names: the hotspot's DNS points them at SELF_TEST_ADDRESS, where nothing answers but
 * the proxy behind the redirect. A phone that gets the proxy's marked answer for
 * `<nonce>.selftest.leakwatch.internal` used the appliance's DNS and sent its web traffic through it.
 */
export const SELF_TEST_DOMAIN = `selftest.${APPLIANCE_DOMAIN}`;

/** TEST-NET-1 (RFC 5737): an address that is nowhere, so only the appliance's redirect can answer it. */
export const SELF_TEST_ADDRESS = '192.0.2.1';

/** Whether a request to `host` (connecting to `address`) is a self-test the proxy answers itself. */
export function isSelfTest(host: string, address?: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === SELF_TEST_DOMAIN || name.endsWith(`.${SELF_TEST_DOMAIN}`) || name === SELF_TEST_ADDRESS || address === SELF_TEST_ADDRESS;
}

/** Whether `host` is one of the appliance's own names (its page, canary pages), not a self-test name. */
export function isApplianceName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return (name === APPLIANCE_DOMAIN || name.endsWith(`.${APPLIANCE_DOMAIN}`)) && !isSelfTest(name);
}
