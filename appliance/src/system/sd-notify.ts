import { createRequire } from 'node:module';

/**
 * systemd's notify protocol (`Type=notify`, `WatchdogSec=`): READY=1 once the appliance serves,
 * WATCHDOG=1 while its event loop runs, STOPPING=1 when it shuts down.
 *
 * Node cannot send unix datagrams, so the message goes through libsystemd's own `sd_notify` via
 * koffi (already used for SO_ORIGINAL_DST). libsystemd rather than libc socket/sendto: it reads
 * NOTIFY_SOCKET itself and knows every address form systemd hands out (paths, `@` abstract
 * sockets, vsock), so the protocol stays systemd's code, not ours; libsystemd0 is a required
 * package on Debian and Raspberry Pi OS, so wherever systemd sets NOTIFY_SOCKET it is there.
 * Without NOTIFY_SOCKET every call is a silent no-op; a missing library or a failed send is
 * reported once and never stops the appliance.
 */
export interface ServiceNotifier {
  /** Sends one notify message, e.g. `READY=1\nSTATUS=…`. */
  notify(state: string): void;
}

type SdNotify = (unsetEnvironment: number, state: string) => number;

export const LIBSYSTEMD = 'libsystemd.so.0';

export function systemdNotifier(report: (message: string) => void, library = LIBSYSTEMD): ServiceNotifier {
  if (!process.env.NOTIFY_SOCKET) return { notify: () => undefined };
  let send: SdNotify | undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as { load(name: string): { func(signature: string): SdNotify } };
    send = koffi.load(library).func('int sd_notify(int unset_environment, const char *state)');
  } catch (error) {
    report(`NOTIFY_SOCKET is set but ${library} cannot be loaded (${(error as Error).message}); not telling systemd READY or WATCHDOG — install libsystemd0 or use Type=simple without WatchdogSec`);
  }
  let toldFailure = false;
  return {
    notify(state) {
      if (!send) return;
      const result = send(0, state);
      if (result >= 0 || toldFailure) return;
      toldFailure = true;
      report(`sd_notify to NOTIFY_SOCKET=${process.env.NOTIFY_SOCKET} failed (errno ${-result}); systemd will not see READY or WATCHDOG from leakwatch`);
    },
  };
}

/**
 * Half the watchdog period systemd asked for (WATCHDOG_USEC), as sd_watchdog_enabled(3) reads it:
 * only when WATCHDOG_PID is unset or names this process. Undefined when there is no watchdog.
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== process.pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}
