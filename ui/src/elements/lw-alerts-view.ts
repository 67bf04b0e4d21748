import '@lit-labs/virtualizer';
import type { RangeChangedEvent } from '@lit-labs/virtualizer';
import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { AlertSummary, ListedAlert, Severity } from '../api/types.js';
import type { AlertStream } from '../controllers/alert-stream.js';
import { PAGE_SIZE, acknowledgeAll, alertSummary, listAlerts } from '../data/alerts.js';
import type { AlertFilter } from '../data/alerts.js';
import { plural } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-alert-row.js';
import './lw-downtime-note.js';
import './lw-verdict.js';

const SEVERITY_CHOICES: { label: string; value: Severity[] }[] = [
  { label: 'Any severity', value: [] },
  { label: 'Medium and up', value: ['medium', 'high', 'critical'] },
  { label: 'High and up', value: ['high', 'critical'] },
  { label: 'Critical only', value: ['critical'] },
];

function matches(a: ListedAlert, f: AlertFilter): boolean {
  return (f.device === undefined || a.device === f.device)
    && (!f.severities?.length || f.severities.includes(a.severity))
    && (f.chinaLinked === undefined || a.destination.chinaLinked === f.chinaLinked)
    && (!f.unread || !a.acknowledged);
}

/**
 * Verdict first (one sentence per device, with who received what), then the alerts, newest first:
 * live from the stream, paged from the API as the list scrolls, and only the visible rows rendered
 * (a cheap phone stays smooth with thousands).
 */
export class LwAlertsView extends LitElement {
  static override properties = {
    stream: { attribute: false }, device: {},
    summary: { state: true }, alerts: { state: true }, filter: { state: true }, more: { state: true }, loading: { state: true }, problem: { state: true }, now: { state: true },
  };
  stream: AlertStream | undefined;
  /** Pre-selected device (from a device's page). */
  device: string | undefined;
  summary: AlertSummary | undefined;
  alerts: ListedAlert[] = [];
  filter: AlertFilter = {};
  more = true;
  loading = false;
  problem = '';
  now = Date.now();
  private unsubscribe: (() => void)[] = [];
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;

  static override styles = [shared, css`
    .filters { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; align-items: end; }
    .filters label.check { display: flex; align-items: center; gap: 0.4rem; font-weight: 400; margin: 0; min-height: 44px; }
    .filters select { width: 100%; }
    lit-virtualizer { width: 100%; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.device) this.filter = { device: this.device };
    void this.reload();
    if (this.stream) {
      this.unsubscribe.push(this.stream.onAlert((a) => this.arrived(a)), this.stream.onReset(() => void this.reload()));
    }
    this.clock = setInterval(() => (this.now = Date.now()), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.unsubscribe.splice(0)) off();
    clearInterval(this.clock);
    clearTimeout(this.summaryTimer);
  }

  override render() {
    const devices = this.summary?.devices ?? [];
    const verdicts = this.filter.device ? devices.filter((d) => d.device === this.filter.device) : devices;
    const nameOf = (id: string) => devices.find((d) => d.device === id)?.name ?? '';
    return html`
      <div class="spread"><h1>Alerts</h1>${this.summary ? html`<span class="muted" aria-live="polite">${plural(this.summary.unread, 'unread alert')}</span>` : ''}</div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem} <button class="secondary" type="button" @click=${() => void this.reload()}>Try again</button></p>` : ''}
      <lw-downtime-note></lw-downtime-note>
      ${verdicts.map((v) => html`<lw-verdict .verdict=${v} .now=${this.now} @pick-device=${(e: CustomEvent<string>) => this.setFilter({ ...this.filter, device: e.detail })}></lw-verdict>`)}
      <form class="card filters" aria-label="Filter alerts" @submit=${(e: Event) => e.preventDefault()}>
        <div><label for="device">Device</label>
          <select id="device" @change=${(e: Event) => this.setFilter({ ...this.filter, device: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="" ?selected=${!this.filter.device}>All devices</option>
            ${devices.map((d) => html`<option value=${d.device} ?selected=${d.device === this.filter.device}>${d.name ?? d.device}</option>`)}
          </select></div>
        <div><label for="severity">Severity</label>
          <select id="severity" @change=${(e: Event) => this.setFilter({ ...this.filter, severities: SEVERITY_CHOICES[Number((e.target as HTMLSelectElement).value)]!.value })}>
            ${SEVERITY_CHOICES.map((c, i) => html`<option value=${i} ?selected=${(this.filter.severities ?? []).join() === c.value.join()}>${c.label}</option>`)}
          </select></div>
        <label class="check"><input type="checkbox" .checked=${this.filter.chinaLinked === true} @change=${(e: Event) => this.setFilter({ ...this.filter, chinaLinked: (e.target as HTMLInputElement).checked ? true : undefined })}> China-linked only</label>
        <label class="check"><input type="checkbox" .checked=${this.filter.unread === true} @change=${(e: Event) => this.setFilter({ ...this.filter, unread: (e.target as HTMLInputElement).checked || undefined })}> Unread only</label>
        <button class="secondary" type="button" @click=${this.acknowledgeAll} ?disabled=${!this.summary?.unread}>Mark ${this.filter.device || this.filter.severities?.length || this.filter.chinaLinked ? 'these' : 'all'} as read</button>
      </form>
      ${this.alerts.length === 0 && !this.loading && !this.problem ? this.emptyState() : ''}
      <lit-virtualizer .items=${this.alerts} .keyFunction=${(a: ListedAlert) => a.id}
        .renderItem=${(a: ListedAlert) => html`<lw-alert-row .alert=${a} .now=${this.now} deviceName=${nameOf(a.device)}></lw-alert-row>`}
        @rangeChanged=${(e: RangeChangedEvent) => this.nearEnd(e.last)}></lit-virtualizer>
      ${this.loading ? html`<p class="muted" role="status">Loading…</p>` : ''}`;
  }

  private emptyState() {
    const filtered = this.filter.device || this.filter.severities?.length || this.filter.chinaLinked || this.filter.unread;
    return html`<section class="card empty">
      <h2>${filtered ? 'No alerts match these filters' : 'No leaks seen yet'}</h2>
      ${filtered ? html`<p>Clear a filter to see the rest.</p>` : html`<p>That is good news, or nothing has been tested yet. Check the phone really goes through the appliance, then plant a canary and browse.</p>
        <p class="row"><a class="button" href=${href('selftest')}>Run the self-test</a><a class="button secondary" href=${href('canary')}>Start a canary test</a></p>`}
    </section>`;
  }

  private setFilter(filter: AlertFilter): void {
    this.filter = filter;
    void this.reload();
  }

  private async reload(): Promise<void> {
    this.loading = true;
    this.problem = '';
    try {
      const [summary, alerts] = await Promise.all([alertSummary(), listAlerts(this.filter)]);
      this.summary = summary;
      this.alerts = alerts;
      this.more = alerts.length === PAGE_SIZE;
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.loading = false;
    }
  }

  /** The list scrolled near its end: the next page, once. */
  private nearEnd(last: number): void {
    if (!this.more || this.loading || last < this.alerts.length - 20) return;
    const before = this.alerts.at(-1)?.seq;
    this.loading = true;
    listAlerts(this.filter, before).then((page) => {
      const known = new Set(this.alerts.map((a) => a.id));
      this.alerts = [...this.alerts, ...page.filter((a) => !known.has(a.id))];
      this.more = page.length === PAGE_SIZE;
    }, (error: ApiError) => (this.problem = error.message)).finally(() => (this.loading = false));
  }

  /** A new alert from the stream: on top if it fits the filter (an update of a known one replaces it). */
  private arrived(alert: ListedAlert): void {
    if (matches(alert, this.filter)) this.alerts = [alert, ...this.alerts.filter((a) => a.id !== alert.id)];
    clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => alertSummary().then((s) => (this.summary = s), () => undefined), 500);
  }

  private async acknowledgeAll(): Promise<void> {
    try {
      await acknowledgeAll(this.filter);
      await this.reload();
      this.dispatchEvent(new CustomEvent('alerts-read', { bubbles: true, composed: true }));
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }
}
customElements.define('lw-alerts-view', LwAlertsView);

declare global {
  interface HTMLElementTagNameMap {
    'lw-alerts-view': LwAlertsView;
  }
}
