import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { HealthSample, PublicInfo, Settings, SystemHealth } from '../api/types.js';
import { logout } from '../data/session.js';
import { changePassword, changeRetention, getSettings, healthHistory, systemHealth } from '../data/system.js';
import { captureLine } from '../logic/capture.js';
import { bytes, duration } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-downtime-note.js';
import './lw-line-chart.js';

const MIB = 1024 * 1024;

/**
 * The appliance itself: its health now and over the last hours, MQTT delivery, how long evidence
 * is kept, the admin password, notifications on this phone, and the search of stored requests.
 */
export class LwSettingsView extends LitElement {
  static override properties = {
    info: { attribute: false }, health: { state: true }, history: { state: true }, settings: { state: true }, problem: { state: true },
    saved: { state: true }, passwordMessage: { state: true }, notifications: { state: true },
  };
  info: PublicInfo | undefined;
  health: SystemHealth | undefined;
  history: HealthSample[] = [];
  settings: Settings | undefined;
  problem = '';
  saved = '';
  passwordMessage = '';
  notifications: NotificationPermission | 'unavailable' = 'Notification' in window && window.isSecureContext ? Notification.permission : 'unavailable';
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = [shared, css`
    .legend { display: flex; gap: 1rem; font-size: 0.8rem; }
    .a { color: var(--lw-accent); }
    .b { color: var(--lw-high); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => void this.loadHealth(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    return html`<h1>Settings</h1>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.healthCard()}
      ${this.mqttCard()}
      ${this.retentionCard()}
      ${this.notificationsCard()}
      <section class="card"><h2>Stored requests</h2><p>Search everything the appliance recorded, by host, device or text.</p><a class="button secondary" href=${href('flows')}>Search requests</a></section>
      ${this.passwordCard()}
      <section class="card"><h2>Session</h2>
        <p class="small muted">leakwatch ${this.info?.version ?? ''} · ${this.info?.mode === 'transparent' ? 'transparent mode (hotspot)' : 'explicit proxy mode'}</p>
        <button class="secondary" type="button" @click=${this.logout}>Log out</button></section>`;
  }

  private healthCard() {
    const h = this.health;
    if (!h) return html`<section class="card"><h2>Health</h2><p class="muted">Loading…</p></section>`;
    const memUsed = h.memory.totalBytes - h.memory.availableBytes;
    const capture = captureLine(h.capture);
    return html`<section class="card" aria-labelledby="health"><h2 id="health">Health</h2>
      <dl>
        <dt>CPU</dt><dd>${h.cpu.loadPercent}% busy${h.cpu.temperatureC !== null ? `, ${h.cpu.temperatureC} °C` : ''}</dd>
        <dt>Power</dt><dd>${h.throttled === null ? 'not a Raspberry Pi (no throttling flags)' : h.throttled.underVoltage || h.throttled.throttled ? html`<span class="china">${[h.throttled.underVoltage ? 'under-voltage' : '', h.throttled.throttled ? 'throttled' : ''].filter(Boolean).join(', ')}</span> — use a better power supply` : 'OK'}</dd>
        <dt>Memory</dt><dd>${bytes(memUsed)} of ${bytes(h.memory.totalBytes)} used</dd>
        <dt>Disk</dt><dd>${h.disk ? `${bytes(h.disk.usedBytes)} of ${bytes(h.disk.sizeBytes)} used (${h.disk.mount})` : 'unknown'}</dd>
        <dt>Up for</dt><dd>${duration(h.uptimeSeconds)}</dd>
        <dt>Packet capture</dt><dd>${capture.warn ? html`<span class="china">${capture.text}</span>` : capture.text}</dd>
      </dl>
      <h3>When leakwatch was not running</h3>
      <lw-downtime-note all></lw-downtime-note>
      ${this.history.length > 1 ? html`
        <lw-line-chart label="CPU load and temperature over the last ${this.history.length} minutes" .series=${[
          { name: 'CPU %', tone: 'a', values: this.history.map((s) => s.loadPercent) },
          { name: '°C', tone: 'b', values: this.history.map((s) => s.temperatureC) },
        ]}></lw-line-chart>
        <p class="legend"><span class="a">— CPU %</span><span class="b">— temperature °C</span><span class="muted">last ${this.history.length} minutes</span></p>` : ''}
    </section>`;
  }

  private mqttCard() {
    const m = this.health?.mqtt;
    return html`<section class="card" aria-labelledby="mqtt"><h2 id="mqtt">Notifications by MQTT</h2>
      ${this.health === undefined ? html`<p class="muted">Loading…</p>` : !m ? html`<p>Off: no broker is set (mqtt.url) and the embedded broker is off. Alerts still appear here.</p>`
        : html`<dl><dt>Broker</dt><dd class="mono">${m.broker}</dd><dt>State</dt><dd>${m.connected ? 'Connected' : html`<span class="china">Not connected</span>`}</dd>
          <dt>Waiting</dt><dd>${m.waiting} alert${m.waiting === 1 ? '' : 's'} not yet delivered (kept until the broker takes them)</dd>
          ${m.problem ? html`<dt>Problem</dt><dd>${m.problem}</dd>` : ''}</dl>`}
    </section>`;
  }

  private retentionCard() {
    const r = this.settings?.config.retention;
    return html`<section class="card" aria-labelledby="ret"><h2 id="ret">Keeping evidence</h2>
      ${!r ? html`<p class="muted">Loading…</p>` : html`<form @submit=${this.saveRetention}>
        <label for="days">Keep requests and alerts for (days)</label>
        <input id="days" type="number" inputmode="numeric" min="1" required .value=${String(r.maxAgeDays)}>
        <label for="size">Use at most (MB of storage)</label>
        <input id="size" type="number" inputmode="numeric" min="16" required .value=${String(Math.round(r.maxBytes / MIB))}>
        <p class="small muted">When storage runs short, the oldest requests go first, then the oldest alerts.</p>
        <button type="submit">Save</button> <span role="status">${this.saved}</span>
      </form>`}
    </section>`;
  }

  private notificationsCard() {
    return html`<section class="card" aria-labelledby="notif"><h2 id="notif">Notifications on this phone</h2>
      ${this.notifications === 'unavailable' ? html`<p>Needs the secure page: trust the appliance's certificate (see <a href=${href('setup')}>Setup</a>), then open this page over https.</p>`
        : this.notifications === 'granted' ? html`<p>On: a new alert shows a notification while this page is open.</p>`
        : this.notifications === 'denied' ? html`<p>Blocked in this browser's site settings.</p>`
        : html`<button type="button" @click=${this.askNotifications}>Notify me of new alerts</button>`}
    </section>`;
  }

  private passwordCard() {
    return html`<section class="card" aria-labelledby="pw"><h2 id="pw">Admin password</h2>
      <form @submit=${this.changePassword}>
        <label for="current">Current password</label><input id="current" type="password" autocomplete="current-password" required>
        <label for="next">New password (8 characters or more)</label><input id="next" type="password" autocomplete="new-password" minlength="8" required>
        <p><button type="submit">Change password</button></p>
        <p role="status">${this.passwordMessage}</p>
      </form>
    </section>`;
  }

  private async load(): Promise<void> {
    try {
      [this.settings] = await Promise.all([getSettings(), this.loadHealth()]);
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }

  private async loadHealth(): Promise<void> {
    [this.health, this.history] = await Promise.all([systemHealth(), healthHistory()]);
  }

  private async saveRetention(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const days = Number(this.renderRoot.querySelector<HTMLInputElement>('#days')!.value);
    const mb = Number(this.renderRoot.querySelector<HTMLInputElement>('#size')!.value);
    try {
      this.settings = await changeRetention({ 'retention.maxAgeDays': days, 'retention.maxBytes': mb * MIB });
      this.saved = 'Saved.';
      this.problem = '';
    } catch (error) {
      this.saved = '';
      this.problem = (error as ApiError).message;
    }
  }

  private async changePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const current = this.renderRoot.querySelector<HTMLInputElement>('#current')!;
    const next = this.renderRoot.querySelector<HTMLInputElement>('#next')!;
    try {
      await changePassword(current.value, next.value);
      this.passwordMessage = 'Changed. Other sessions were logged out.';
      current.value = next.value = '';
    } catch (error) {
      this.passwordMessage = (error as ApiError).message;
    }
  }

  private async askNotifications(): Promise<void> {
    this.notifications = await Notification.requestPermission();
  }

  private async logout(): Promise<void> {
    await logout().catch(() => undefined);
    this.dispatchEvent(new CustomEvent('logged-out', { bubbles: true, composed: true }));
  }
}
customElements.define('lw-settings-view', LwSettingsView);

declare global {
  interface HTMLElementTagNameMap {
    'lw-settings-view': LwSettingsView;
  }
}
