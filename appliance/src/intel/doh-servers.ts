/**
 * Well-known DNS-over-HTTPS resolvers (from curl's list, https://github.com/curl/curl/wiki/DNS-over-HTTPS,
 * and the browsers' built-in "secure DNS" providers). A phone that talks to one resolves names
 * past the hotspot's DNS, so the appliance cannot see which names it looks up.
 */
const DOH_HOSTS: ReadonlySet<string> = new Set([
  'dns.google', 'dns.google.com', 'dns64.dns.google',
  'cloudflare-dns.com', 'mozilla.cloudflare-dns.com', 'chrome.cloudflare-dns.com', 'one.one.one.one', '1dot1dot1dot1.cloudflare-dns.com', 'security.cloudflare-dns.com', 'family.cloudflare-dns.com',
  'dns.quad9.net', 'dns9.quad9.net', 'dns10.quad9.net', 'dns11.quad9.net',
  'doh.opendns.com', 'doh.familyshield.opendns.com', 'doh.cleanbrowsing.org',
  'dns.adguard.com', 'dns.adguard-dns.com', 'dns-unfiltered.adguard.com',
  'dns.nextdns.io', 'doh.dns.sb', 'dns.alidns.com', 'doh.pub', 'dns.pub', 'doh.360.cn', 'dns.twnic.tw',
  'doh.mullvad.net', 'dns.mullvad.net', 'freedns.controld.com', 'dns.controld.com',
]);

/** Whether `host` is a DNS-over-HTTPS resolver (NextDNS and Control D give each user a subdomain). */
export function isDohServer(host: string): boolean {
  const name = host.toLowerCase();
  return DOH_HOSTS.has(name) || name.endsWith('.dns.nextdns.io') || name.endsWith('.dns.controld.com');
}

