/**
 * The phone's address: from the appliance's dnsmasq by DHCP when busybox's udhcpc is installed
 * (the Debian package `busybox`), else static — DNS then still goes to dnsmasq.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from './host.js';
import { ADDR, IFACES } from './topology.js';

const execFileAsync = promisify(execFile);

/** The name the lab phone sends in its DHCP request. */
export const PHONE_HOSTNAME = 'lab-phone';

export interface PhoneAddress {
  addressing: 'dhcp' | 'static';
  ip: string;
}

function hasBusyboxUdhcpc(): boolean {
  try {
    return run('busybox', ['--list']).split('\n').includes('udhcpc');
  } catch {
    return false;
  }
}

/**
 * `ip netns exec` shows /etc/netns/<ns>/resolv.conf as the namespace's /etc/resolv.conf, so the
 * lease script writes there — never to the host's own /etc/resolv.conf.
 */
function leaseScript(dir: string, resolvConf: string): string {
  const script = join(dir, 'udhcpc.sh');
  writeFileSync(script, [
    '#!/bin/sh',
    '# busybox udhcpc calls this with the lease in the environment; only "bound" matters here.',
    '[ "$1" = bound ] || exit 0',
    'ip addr add "$ip/$mask" dev "$interface"',
    'ip route add default via "$router" dev "$interface"',
    `for server in $dns; do echo "nameserver $server"; done > '${resolvConf}'`,
    '',
  ].join('\n'), { mode: 0o755 });
  return script;
}

export async function addressPhone(phoneNs: string, dir: string): Promise<PhoneAddress> {
  const etc = join('/etc/netns', phoneNs);
  mkdirSync(etc, { recursive: true });
  const resolvConf = join(etc, 'resolv.conf');
  writeFileSync(resolvConf, '');
  if (hasBusyboxUdhcpc()) {
    // -n: give up instead of running forever; -q: exit once bound; 5 tries a second apart; -x: send
    // a DHCP host name, as phones do, so the appliance can name the device.
    await execFileAsync('ip', ['netns', 'exec', phoneNs, 'busybox', 'udhcpc', '-i', IFACES.phone, '-n', '-q', '-t', '5', '-T', '1', '-x', `hostname:${PHONE_HOSTNAME}`, '-s', leaseScript(dir, resolvConf)], { timeout: 10_000 });
    const ip = /inet (10\.42\.0\.\d+)\//.exec(run('ip', ['-n', phoneNs, 'addr', 'show', IFACES.phone]))?.[1];
    if (ip === undefined) throw new Error(`busybox udhcpc reported a lease, but ${IFACES.phone} in ${phoneNs} has no 10.42.0.x address`);
    return { addressing: 'dhcp', ip };
  }
  run('ip', ['-n', phoneNs, 'addr', 'add', `${ADDR.phoneStatic}/24`, 'dev', IFACES.phone]);
  run('ip', ['-n', phoneNs, 'route', 'add', 'default', 'via', ADDR.applianceHotspot]);
  writeFileSync(resolvConf, `nameserver ${ADDR.applianceHotspot}\n`);
  return { addressing: 'static', ip: ADDR.phoneStatic };
}
