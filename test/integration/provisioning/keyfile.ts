import { execFileSync } from 'node:child_process';

/** A NetworkManager keyfile as `section.key` → value (comments and blank lines dropped). */
export function keyfile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  let section = '';
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    else {
      const at = line.indexOf('=');
      entries[`${section}.${line.slice(0, at)}`] = line.slice(at + 1);
    }
  }
  return entries;
}

/** What `nmcli --offline` writes for the hotspot the installer describes (the same settings, NetworkManager's own writer). */
export function nmcliOfflineKeyfile(s: Record<string, string>): string {
  const prefix = Number(s.SUBNET!.split('/')[1]);
  const address = s.SUBNET!.split('/')[0]!.replace(/\.0$/, '.1');
  return execFileSync('nmcli', ['--offline', 'connection', 'add', 'type', 'wifi', 'con-name', 'leakwatch-hotspot', 'ifname', s.HOTSPOT_IF!, 'ssid', s.SSID!, 'mode', 'ap',
    'connection.uuid', '6f7d3a52-3c0e-4b7e-9a1d-6c1e2b5f8a41', 'connection.autoconnect-priority', '100',
    '802-11-wireless.band', Number(s.CHANNEL) <= 14 ? 'bg' : 'a', '802-11-wireless.channel', s.CHANNEL!, '802-11-wireless.powersave', '2',
    'wifi-sec.key-mgmt', s.SECURITY === 'wpa3' ? 'sae' : 'wpa-psk', 'wifi-sec.proto', 'rsn', 'wifi-sec.pairwise', 'ccmp', 'wifi-sec.group', 'ccmp', 'wifi-sec.pmf', s.SECURITY === 'wpa3' ? '3' : '1', 'wifi-sec.psk', s.PASSPHRASE!,
    'ipv4.method', 'manual', 'ipv4.addresses', `${address}/${prefix}`, 'ipv4.never-default', 'yes', 'ipv6.method', 'disabled'], { encoding: 'utf8' });
}
