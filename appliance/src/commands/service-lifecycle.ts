import type { CliIo } from '../cli-io.js';
import type { ServiceNotifier } from '../system/sd-notify.js';
import { systemdNotifier, watchdogIntervalMs } from '../system/sd-notify.js';

/** One step of the shutdown, named so a failure says which part did not stop cleanly. */
export interface ShutdownStep {
  name: string;
  run: () => void | Promise<void>;
}

/**
 * `leakwatch start` as a service: tells systemd when it is ready and that it is alive, waits for
 * SIGTERM/SIGINT, and stops in the order the caller gives — every step runs even when one before
 * it failed, so the database is closed whatever happened to MQTT.
 */
export class ServiceLifecycle {
  private readonly notifier: ServiceNotifier;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly stop: Promise<void>;
  private readonly onSignal: () => void;

  /**
   * Takes SIGINT/SIGTERM (and `signal`'s abort) from the start: a stop asked for while leakwatch is
   * still starting — or the instant after it said it is ready, before its next line ran — is kept and
   * honoured once it is up, instead of Node's default of dying on the spot with nothing flushed.
   */
  constructor(
    private readonly io: CliIo,
    signal?: AbortSignal,
  ) {
    this.notifier = systemdNotifier((message) => io.stderr.write(`leakwatch: ${message}\n`));
    let requested: () => void = () => undefined;
    this.stop = new Promise((resolve) => (requested = resolve));
    this.onSignal = () => {
      // Let go at the first signal: a second one during a slow shutdown ends the process at once.
      this.release();
      requested();
    };
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    signal?.addEventListener('abort', this.onSignal, { once: true });
  }

  /**
   * READY=1 with a status line, then WATCHDOG=1 at half the period systemd asked for, as long as
   * `stuck()` finds nothing wrong (the inspection thread runs apart from this event loop).
   */
  ready(status: string, stuck: () => string | undefined = () => undefined): void {
    this.notifier.notify(`READY=1\nSTATUS=${status}`);
    const every = watchdogIntervalMs();
    if (every === undefined) return;
    let told = false;
    // A timer only fires while the event loop turns: a loop stuck in a busy callback stops the
    // pings, and systemd restarts the appliance — which is the point of the watchdog.
    this.watchdog = setInterval(() => {
      const problem = stuck();
      if (problem === undefined) {
        told = false;
        this.notifier.notify('WATCHDOG=1');
      } else if (!told) {
        told = true;
        this.io.stderr.write(`leakwatch: ${problem}; no longer telling systemd WATCHDOG=1, so it restarts leakwatch\n`);
      }
    }, every);
    this.watchdog.unref();
  }

  /** Resolves at the first SIGINT/SIGTERM or abort, including one that came before this was asked. */
  stopRequested(): Promise<void> {
    return this.stop;
  }

  /** Stops taking the signals (they get Node's default again). */
  release(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  /** STOPPING=1, then each step in order; false when any step failed (each failure is reported). */
  async shutdown(steps: readonly ShutdownStep[]): Promise<boolean> {
    this.release();
    this.notifier.notify('STOPPING=1');
    clearInterval(this.watchdog);
    let clean = true;
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        clean = false;
        this.io.stderr.write(`leakwatch: stopping ${step.name} failed: ${(error as Error).message}\n`);
      }
    }
    return clean;
  }
}
