/**
 * MAC addresses as phones present them on the hotspot. Android 10+ and iOS 14+ use a random,
 * "locally administered" address per network by default, so for most phones the vendor is
 * unknowable from the MAC and the device is recognised by the address alone.
 */

/** `aa:bb:cc:dd:ee:ff` from the usual spellings (colons, dashes, Cisco dots, bare hex); undefined when it is not a MAC. */
export function normaliseMac(text: string): string | undefined {
  const hex = text.trim().toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

function firstOctet(mac: string): number {
  return Number.parseInt(mac.slice(0, 2), 16);
}

/** The U/L bit: set by randomised (private) addresses, never by a manufacturer's assignment. */
export function isLocallyAdministered(mac: string): boolean {
  return (firstOctet(mac) & 0x02) !== 0;
}

/** The I/G bit: a group address, never a device's own. */
export function isMulticastMac(mac: string): boolean {
  return (firstOctet(mac) & 0x01) !== 0;
}
