/**
 * A TLS connection a packet capture saw: its content cannot be read without the keys, but the
 * ClientHello names the server (SNI), so who the device talked to is still known.
 */
export interface TlsConnectionSeen {
  /** The client's address (the device, until devices are told apart by MAC). */
  device: string;
  /** Epoch milliseconds of the ClientHello. */
  time: number;
  /** SNI, else the name DNS gave the server's address, else the address. */
  host: string;
  /** The server name the ClientHello carried, when it carried one. */
  sni?: string;
  ip: string;
  port: number;
  /** The client's JA4 fingerprint, from the same ClientHello. */
  ja4?: string;
}
