import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ListedAlert } from '../api/types.js';
import { sessionValid } from '../data/session.js';

/** Heartbeats come every 15 s; a stream silent for this long is dead (a sleeping phone, a dropped Wi-Fi). */
const SILENT_MS = 40_000;
const WATCH_EVERY_MS = 5_000;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export type StreamState = 'connecting' | 'live' | 'offline';

/**
 * New alerts as they are stored (Server-Sent Events), for the whole page: one stream, many
 * listeners. It resumes after the last alert it saw (Last-Event-ID, or `since` when it reopens the
 * stream itself), so nothing is missed while the phone slept; a stream that stops sending
 * heartbeats is reopened. A `reset` (too much missed, or the store emptied) asks views to reload.
 */
export class AlertStream implements ReactiveController {
  state: StreamState = 'connecting';
  /** Whether the stream was live before: its loss is worth telling the user about. */
  private wasLive = false;
  private source: EventSource | undefined;
  private lastSeq: number | undefined;
  private lastHeard = 0;
  private retries = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly alertListeners = new Set<(alert: ListedAlert) => void>();
  private readonly resetListeners = new Set<() => void>();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible' && this.source && Date.now() - this.lastHeard > SILENT_MS) this.open();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Starts streaming; without `since`, only alerts stored from now on. */
  start(since?: number): void {
    this.lastSeq = since ?? this.lastSeq;
    this.open();
    this.watchdog ??= setInterval(() => {
      if (this.source && Date.now() - this.lastHeard > SILENT_MS) this.open();
    }, WATCH_EVERY_MS);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    clearTimeout(this.retryTimer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Live alerts were flowing and are not now: the page says so (nothing is lost meanwhile). */
  get reconnecting(): boolean {
    return this.wasLive && this.state !== 'live';
  }

  onAlert(listener: (alert: ListedAlert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  private open(): void {
    this.source?.close();
    this.setState('connecting');
    const source = new EventSource(`/api/events${this.lastSeq !== undefined ? `?since=${this.lastSeq}` : ''}`);
    this.source = source;
    this.lastHeard = Date.now();
    source.addEventListener('open', () => {
      this.retries = 0;
      this.lastHeard = Date.now();
      this.wasLive = true;
      this.setState('live');
    });
    source.addEventListener('heartbeat', () => (this.lastHeard = Date.now()));
    source.addEventListener('alert', (event) => {
      this.lastHeard = Date.now();
      const alert = JSON.parse((event as MessageEvent<string>).data) as ListedAlert;
      this.lastSeq = alert.seq;
      for (const listener of this.alertListeners) listener(alert);
    });
    source.addEventListener('reset', (event) => {
      this.lastSeq = (JSON.parse((event as MessageEvent<string>).data) as { seq: number }).seq;
      for (const listener of this.resetListeners) listener();
    });
    source.addEventListener('error', () => {
      if (source !== this.source) return;
      this.setState('offline');
      // CONNECTING: the browser retries by itself (with Last-Event-ID). CLOSED: it gave up (an error
      // status, e.g. the session expired), so find out why and try again later.
      if (source.readyState === EventSource.CLOSED) this.retryLater();
    });
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    const wait = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)]!;
    this.retryTimer = setTimeout(() => {
      // A lost session is announced by the API client (the shell shows the login); else reconnect.
      sessionValid().then((valid) => valid && this.open(), () => this.retryLater());
    }, wait);
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}
