import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { Device, FlowSummary } from '../api/types.js';
import { listDevices } from '../data/devices.js';
import { searchFlows } from '../data/flows.js';
import type { FlowFilter } from '../data/flows.js';
import { timeAgo } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

/** Every stored request, searchable by host, device and text, newest first, a page at a time. */
export class LwFlowsView extends LitElement {
  static override properties = { flows: { state: true }, cursor: { state: true }, devices: { state: true }, problem: { state: true }, loading: { state: true } };
  flows: FlowSummary[] | undefined;
  cursor: string | null = null;
  devices: Device[] = [];
  problem = '';
  loading = false;
  private filter: FlowFilter = {};

  static override styles = [shared, css`
    ul { list-style: none; padding: 0; margin: 0; }
    li a { display: block; color: inherit; text-decoration: none; padding: 0.5rem 0; border-bottom: 1px solid var(--lw-border); }
    .url { font-family: var(--lw-mono); font-size: 0.8rem; overflow-wrap: anywhere; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    listDevices().then((d) => (this.devices = d), () => undefined);
    void this.search();
  }

  override render() {
    return html`<p><a href=${href('settings')}>← Settings</a></p><h1>Stored requests</h1>
      <form class="card" @submit=${this.submit} aria-label="Search requests">
        <label for="host">Host contains</label><input id="host" autocomplete="off" placeholder="e.g. miui.com">
        <label for="q">URL contains</label><input id="q" autocomplete="off">
        <label for="dev">Device</label>
        <select id="dev"><option value="">All devices</option>${this.devices.map((d) => html`<option value=${d.id}>${d.name ?? d.hostname ?? d.id}</option>`)}</select>
        <p><button type="submit">Search</button></p>
      </form>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.flows?.length === 0 ? html`<p class="muted">Nothing stored matches.</p>` : ''}
      <ul class="card">${(this.flows ?? []).map((f) => html`<li><a href=${href('flow', f.id)}>
        <span class="row small"><strong>${f.method}</strong> ${f.status ?? '—'} <span class="muted">${timeAgo(Date.parse(f.time), Date.now())}</span>${f.alertCount ? html`<span class="badge china">${f.alertCount} alert${f.alertCount === 1 ? '' : 's'}</span>` : ''}</span>
        <span class="url">${f.url}</span></a></li>`)}</ul>
      ${this.cursor ? html`<button class="secondary" type="button" ?disabled=${this.loading} @click=${() => void this.search(true)}>More</button>` : ''}`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const value = (id: string) => this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!.value.trim() || undefined;
    this.filter = { ...(value('host') ? { hostContains: value('host') } : {}), ...(value('q') ? { q: value('q') } : {}), ...(value('dev') ? { device: value('dev') } : {}) };
    void this.search();
  }

  private async search(more = false): Promise<void> {
    this.loading = true;
    this.problem = '';
    try {
      const page = await searchFlows(this.filter, more ? (this.cursor ?? undefined) : undefined);
      this.flows = more ? [...(this.flows ?? []), ...page.flows] : page.flows;
      this.cursor = page.nextCursor;
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.loading = false;
    }
  }
}
customElements.define('lw-flows-view', LwFlowsView);

declare global {
  interface HTMLElementTagNameMap {
    'lw-flows-view': LwFlowsView;
  }
}
