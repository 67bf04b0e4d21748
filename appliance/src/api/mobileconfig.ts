import { createHash } from 'node:crypto';

/** An iOS configuration profile carrying the appliance CA (install it, then trust it in Settings). */
export function mobileconfig(certificateDer: Uint8Array): string {
  const b64 = Buffer.from(certificateDer).toString('base64');
  const id = createHash('sha256').update(certificateDer).digest('hex');
  const uuid = (seed: string) => {
    const h = createHash('sha256').update(seed + id).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadCertificateFileName</key><string>leakwatch-ca.crt</string>
      <key>PayloadContent</key><data>${b64}</data>
      <key>PayloadDisplayName</key><string>leakwatch appliance CA</string>
      <key>PayloadIdentifier</key><string>org.leakwatch.ca.${id.slice(0, 16)}</string>
      <key>PayloadType</key><string>com.apple.security.root</string>
      <key>PayloadUUID</key><string>${uuid('cert')}</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadDisplayName</key><string>leakwatch</string>
  <key>PayloadIdentifier</key><string>org.leakwatch.profile.${id.slice(0, 16)}</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>${uuid('profile')}</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
`;
}
