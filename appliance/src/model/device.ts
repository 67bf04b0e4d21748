/** Who a client on the hotspot is, as the appliance can tell. */
export interface DeviceIdentity {
  /** What flows and alerts name the device by: its MAC when the hotspot knows it, else its IP. */
  id: string;
  ip: string;
  mac?: string;
  /** From DHCP (the lease file), when the device sent a name. */
  hostname?: string;
  /** The IEEE registrant of the MAC's prefix. */
  vendor?: string;
  vendorCountry?: string;
  /** A randomised (private) MAC: stable per network on Android and iOS, but it names no maker. */
  randomisedMac?: boolean;
}
