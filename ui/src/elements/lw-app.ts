import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { ApiError, SESSION_LOST_EVENT } from '../api/client.js';
import type { AlertSummary, ListedAlert, PublicInfo } from '../api/types.js';
import { AlertStream } from '../controllers/alert-stream.js';
import { alertSummary } from '../data/alerts.js';
import { sessionSummary } from '../data/session.js';
import { publicInfo } from '../data/system.js';
import { alertTitle, chinaLinkBadge } from '../logic/alert-text.js';
import { PUBLIC_VIEWS, href, parseRoute } from '../logic/route.js';
import type { Route, View } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-alert-detail.js';
import './lw-alerts-view.js';
import './lw-canary-view.js';
import './lw-device-detail.js';
import './lw-devices-view.js';
import './lw-flow-detail.js';
import './lw-flows-view.js';
import './lw-login.js';
import './lw-selftest.js';
import './lw-settings-view.js';
import './lw-setup.js';

type Session = 'checking' | 'in' | 'out' | 'expired';

const TABS: { view: View; label: string; also: View[] }[] = [
  { view: 'alerts', label: 'Alerts', also: ['alert'] },
  { view: 'devices', label: 'Devices', also: ['device'] },
  { view: 'canary', label: 'Canary', also: [] },
  { view: 'selftest', label: 'Check', also: ['setup'] },
  { view: 'settings', label: 'Settings', also: ['flows', 'flow'] },
];

/**
 * The page: a header that says how the page is reached (plain HTTP or the secure page), the view
 * of the current address (#/…), and tabs at the bottom for one hand. It checks the session, shows
 * the login when it is missing or expired (and returns to where the user was), holds the one live
 * alert stream, and says so when the appliance cannot be reached.
 */
export class LwApp extends LitElement {
  static override properties = { route: { state: true }, session: { state: true }, info: { state: true }, unreachable: { state: true }, unread: { state: true } };
  route: Route = parseRoute(location.hash);
  session: Session = 'checking';
  info: PublicInfo | undefined;
  unreachable = '';
  unread = 0;
  private readonly stream = new AlertStream(this);
  private readonly onHash = () => (this.route = parseRoute(location.hash));
  private readonly onSessionLost = () => this.sessionEnded('expired');

  static override styles = [shared, css`
    :host { min-height: 100vh; display: flex; flex-direction: column; }
    header { position: sticky; top: 0; z-index: 2; background: var(--lw-accent); color: var(--lw-accent-text); padding: 0.5rem 1rem; padding-top: max(0.5rem, env(safe-area-inset-top)); display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; }
    header .brand { font-weight: 800; font-size: 1.1rem; letter-spacing: 0.02em; color: inherit; text-decoration: none; }
    header .conn { font-size: 0.75rem; border: 1px solid currentColor; border-radius: 999px; padding: 0.1rem 0.5rem; color: inherit; text-decoration: none; }
    main { flex: 1; width: 100%; max-width: 44rem; margin: 0 auto; padding: 1rem 0.75rem 6rem; }
    nav { position: fixed; bottom: 0; left: 0; right: 0; z-index: 2; background: var(--lw-surface); border-top: 1px solid var(--lw-border); padding-bottom: env(safe-area-inset-bottom); }
    nav ul { display: grid; grid-template-columns: repeat(5, 1fr); list-style: none; margin: 0 auto; padding: 0; max-width: 44rem; }
    nav a { display: flex; flex-direction: column; align-items: center; justify-content: center; min-height: 56px; color: var(--lw-muted); text-decoration: none; font-size: 0.8rem; font-weight: 600; position: relative; }
    nav a[aria-current='page'] { color: var(--lw-accent); box-shadow: inset 0 3px 0 var(--lw-accent); }
    .count { position: absolute; top: 6px; left: calc(50% + 14px); background: var(--lw-critical); color: #fff; border-radius: 999px; font-size: 0.7rem; padding: 0 0.35rem; min-width: 1.1rem; text-align: center; }
    .offline { background: var(--lw-medium); color: #000; text-align: center; font-size: 0.85rem; padding: 0.3rem; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener(SESSION_LOST_EVENT, this.onSessionLost);
    this.addEventListener('logged-in', () => void this.loggedIn());
    this.addEventListener('logged-out', () => this.sessionEnded('out'));
    this.addEventListener('alerts-read', () => void this.refreshUnread());
    this.stream.onAlert((alert) => this.announce(alert));
    void this.boot();
    if (window.isSecureContext && 'serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener(SESSION_LOST_EVENT, this.onSessionLost);
  }

  override render() {
    const secure = location.protocol === 'https:';
    return html`
      <header>
        <a class="brand" href=${href('alerts')}>leakwatch</a>
        <a class="conn" href=${href('setup')} title=${secure ? 'This page is encrypted with the appliance certificate' : 'Plain HTTP: fine here; the secure page adds notifications and home-screen install'}>${secure ? 'Secure page (HTTPS)' : 'Plain HTTP page'}</a>
      </header>
      ${this.unreachable ? html`<div class="offline" role="alert">${this.unreachable} <button class="secondary" type="button" @click=${() => void this.boot()}>Retry</button></div>` : ''}
      ${this.session === 'in' && this.stream.reconnecting ? html`<div class="offline" role="status">Live alerts reconnecting… nothing is lost meanwhile.</div>` : ''}
      <main id="main">${this.view()}</main>
      ${this.session === 'in' ? this.tabs() : ''}`;
  }

  private view(): TemplateResult {
    const { view, id, device } = this.route;
    if (PUBLIC_VIEWS.has(view) && view !== 'login') return html`<lw-setup .info=${this.info} ?loggedIn=${this.session === 'in'}></lw-setup>`;
    if (this.session === 'checking') return html`<p class="muted" role="status">Loading…</p>`;
    if (this.session !== 'in') return html`<lw-login ?expired=${this.session === 'expired'}></lw-login>`;
    switch (view) {
      case 'alert': return html`<lw-alert-detail alertId=${id ?? ''}></lw-alert-detail>`;
      case 'devices': return html`<lw-devices-view></lw-devices-view>`;
      case 'device': return html`<lw-device-detail deviceId=${id ?? ''}></lw-device-detail>`;
      case 'canary': return html`<lw-canary-view .stream=${this.stream}></lw-canary-view>`;
      case 'selftest': return html`<lw-selftest></lw-selftest>`;
      case 'settings': return html`<lw-settings-view .info=${this.info}></lw-settings-view>`;
      case 'flows': return html`<lw-flows-view></lw-flows-view>`;
      case 'flow': return html`<lw-flow-detail flowId=${id ?? ''}></lw-flow-detail>`;
      case 'login': return html`<p>You are logged in. <a href=${href('alerts')}>Go to the alerts</a>.</p>`;
      default: return html`<lw-alerts-view .stream=${this.stream} .device=${device}></lw-alerts-view>`;
    }
  }

  private tabs(): TemplateResult {
    return html`<nav aria-label="Views"><ul>${TABS.map((t) => {
      const current = this.route.view === t.view || t.also.includes(this.route.view);
      return html`<li><a href=${href(t.view)} aria-current=${current ? 'page' : 'false'}>${t.label}${t.view === 'alerts' && this.unread > 0 ? html`<span class="count" aria-label="${this.unread} unread">${this.unread > 99 ? '99+' : this.unread}</span>` : ''}</a></li>`;
    })}</ul></nav>`;
  }

  private async boot(): Promise<void> {
    this.unreachable = '';
    try {
      this.info = await publicInfo();
      const summary = await sessionSummary();
      if (summary) this.sessionStarted(summary);
      else this.session = 'out';
    } catch (error) {
      this.unreachable = error instanceof ApiError ? error.message : "can't reach the appliance";
      if (this.session === 'checking') this.session = 'out';
    }
  }

  /** Just logged in: the summary first, so the stream starts where the counts (and the lists loaded after them) end. */
  private async loggedIn(): Promise<void> {
    let summary: AlertSummary | undefined;
    try {
      summary = await sessionSummary();
    } catch {
      // the views say what is wrong; the stream then starts from its connection
    }
    this.sessionStarted(summary);
  }

  /**
   * The session is valid. The stream starts after the newest alert the summary counted, read
   * before any view loads its list: an alert stored between the two is then sent by the stream
   * (the views replace what they already hold), never lost until a reload.
   */
  private sessionStarted(summary: AlertSummary | undefined): void {
    this.session = 'in';
    if (this.route.view === 'login') location.hash = href('alerts');
    this.stream.start(summary?.latestSeq);
    if (summary) this.unread = summary.unread;
    else void this.refreshUnread();
  }

  private sessionEnded(why: 'out' | 'expired'): void {
    if (this.session === 'out' && why === 'expired') return;
    this.stream.stop();
    this.session = why;
  }

  private async refreshUnread(): Promise<void> {
    try {
      this.unread = (await alertSummary()).unread;
    } catch {
      // the views say what is wrong; the count waits for the next alert
    }
  }

  /**
   * A new alert: counted, and shown as a notification when the phone allows and the page is not in
   * front. An upgrade (the same alert, now confirmed) may already be counted: the count is asked for.
   */
  private announce(alert: ListedAlert): void {
    if (alert.upgradedFrom) void this.refreshUnread();
    else if (!alert.acknowledged) this.unread++;
    if (!window.isSecureContext || !('Notification' in window) || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
    navigator.serviceWorker?.ready.then((registration) => registration.showNotification(`leakwatch: ${alert.severity} alert${alert.upgradedFrom ? ` (now ${alert.confidence})` : ''}`, {
      body: `${alertTitle(alert)}${alert.destination.chinaLinked ? ` (${chinaLinkBadge(alert.destination)})` : ''}`,
      tag: alert.id,
      data: { url: `/${href('alert', alert.id)}` },
    }), () => undefined);
  }
}
customElements.define('lw-app', LwApp);

declare global {
  interface HTMLElementTagNameMap {
    'lw-app': LwApp;
  }
}
