/** The two ends of a TCP connection, client first (the side that sent the SYN, or the best guess). */
export interface ConnectionEnds {
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  /** The client's MAC, when the link layer named it. */
  clientMac?: string;
}

export function describeConnection(c: ConnectionEnds): string {
  const at = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  return `connection ${at(c.clientIp, c.clientPort)} → ${at(c.serverIp, c.serverPort)}`;
}
