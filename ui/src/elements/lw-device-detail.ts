import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { Device, DnsLookup, PassedThroughHost, PeerTraffic } from '../api/types.js';
import { passthroughReason } from '../logic/passthrough.js';
import { deviceDns, devicePassthrough, deviceTraffic, listDevices, renameDevice } from '../data/devices.js';
import { bytes, countryName, dateTime, plural, timeAgo } from '../logic/format.js';
import { deviceAlertsHref, href } from '../logic/route.js';
import { groupTraffic } from '../logic/traffic.js';
import { shared } from '../styles.js';
import './lw-bar-chart.js';

/** Capture-based answers: the data, or why there is none (capture off). */
type Captured<T> = { data: T } | { off: string };

/**
 * One device: its name (editable), maker, MAC; where its traffic went, by company and by country
 * (from packet capture); the names it looked up; and the hosts it would not let the appliance
 * see into, so the user knows what was not inspected.
 */
export class LwDeviceDetail extends LitElement {
  static override properties = {
    deviceId: {}, device: { state: true }, traffic: { state: true }, dns: { state: true }, passthrough: { state: true },
    editing: { state: true }, problem: { state: true }, by: { state: true },
  };
  deviceId = '';
  device: Device | undefined;
  traffic: Captured<PeerTraffic[]> | undefined;
  dns: Captured<DnsLookup[]> | undefined;
  passthrough: PassedThroughHost[] | undefined;
  editing = false;
  problem = '';
  by: 'company' | 'country' = 'company';

  static override styles = [shared, css`
    .names { max-height: 18rem; overflow-y: auto; }
  `];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('deviceId') && this.deviceId) void this.load();
  }

  override render() {
    const d = this.device;
    if (this.problem && !d) return html`<p><a href=${href('devices')}>← Devices</a></p><p class="error" role="alert">${this.problem}</p>`;
    if (!d) return html`<p class="muted" role="status">Loading…</p>`;
    const label = d.name ?? d.hostname ?? d.id;
    return html`<p><a href=${href('devices')}>← Devices</a></p>
      ${this.editing ? html`<form class="card" @submit=${this.rename} aria-label="Rename the device">
          <label for="name">Name</label>
          <input id="name" name="name" maxlength="100" .value=${d.name ?? ''} placeholder=${d.hostname ?? 'e.g. Lin\'s phone'} autocomplete="off">
          <p class="row"><button type="submit">Save</button><button class="secondary" type="button" @click=${() => (this.editing = false)}>Cancel</button></p>
          <p class="small muted">Leave it empty to go back to the name the device gave itself.</p>
        </form>`
        : html`<div class="spread"><h1>${label}</h1><button class="secondary" type="button" @click=${() => (this.editing = true)}>Rename</button></div>`}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      <section class="card">
        <dl>
          <dt>Maker</dt><dd>${d.vendor ? `${d.vendor}${d.vendorCountry ? ` (${countryName(d.vendorCountry)})` : ''}` : d.randomisedMac ? 'Hidden: the phone uses a private (randomised) MAC' : 'unknown'}</dd>
          <dt>MAC</dt><dd class="mono">${d.mac ?? 'not known'}${d.randomisedMac ? ' · randomised' : ''}</dd>
          <dt>Address</dt><dd class="mono">${d.ip ?? 'unknown'}</dd>
          ${d.hostname ? html`<dt>DHCP name</dt><dd>${d.hostname}</dd>` : ''}
          <dt>First seen</dt><dd>${dateTime(d.firstSeen)}</dd>
          <dt>Last seen</dt><dd>${timeAgo(d.lastSeen, Date.now())}</dd>
          <dt>Alerts</dt><dd><a href=${deviceAlertsHref(d.id)}>${plural(d.alerts, 'alert')}${d.unread ? `, ${d.unread} unread` : ''}</a></dd>
        </dl>
      </section>
      ${this.destinations()}
      ${this.notSeen()}
      ${this.lookups()}`;
  }

  private destinations() {
    const t = this.traffic;
    if (!t) return html`<section class="card"><h2>Where its traffic went</h2><p class="muted">Loading…</p></section>`;
    if ('off' in t) return html`<section class="card"><h2>Where its traffic went</h2><p class="muted">${t.off}</p></section>`;
    const groups = groupTraffic(t.data, this.by);
    return html`<section class="card" aria-labelledby="dest">
      <div class="spread"><h2 id="dest">Where its traffic went</h2>
        <div class="row" role="group" aria-label="Group by">
          ${(['company', 'country'] as const).map((b) => html`<button type="button" class=${this.by === b ? '' : 'secondary'} aria-pressed=${this.by === b ? 'true' : 'false'} @click=${() => (this.by = b)}>By ${b}</button>`)}
        </div></div>
      ${groups.length === 0 ? html`<p class="muted">No traffic captured yet.</p>` : html`
        <lw-bar-chart .bars=${groups.slice(0, 8).map((g) => ({ label: this.by === 'country' ? countryName(g.label.length === 2 ? g.label : null) : g.label, value: g.bytes, chinaLinked: g.chinaLinked }))} label="Traffic by ${this.by}" .format=${bytes}></lw-bar-chart>
        <table><thead><tr><th scope="col">${this.by === 'company' ? 'Company / network' : 'Country'}</th><th scope="col">Data</th><th scope="col">Hosts</th></tr></thead>
          <tbody>${groups.map((g) => html`<tr><td>${g.label}${g.chinaLinked ? html` <span class="badge china">china-linked</span>` : ''}</td><td>${bytes(g.bytes)}</td><td class="mono small">${g.members.slice(0, 5).join(', ')}${g.members.length > 5 ? ` +${g.members.length - 5}` : ''}</td></tr>`)}</tbody></table>`}
    </section>`;
  }

  private notSeen() {
    const p = this.passthrough;
    return html`<section class="card" aria-labelledby="unseen"><h2 id="unseen">Not inspected</h2>
      ${!p ? html`<p class="muted">Loading…</p>` : p.length === 0 ? html`<p class="muted">Every HTTPS connection of this device was decrypted.</p>` : html`
        <p class="small">An app on the device refused the appliance's certificate for these hosts (it pins, or the certificate is not trusted), so its HTTPS to them passed through unread. Only that app's connections pass, for a while; then the appliance tries again.</p>
        <table><thead><tr><th scope="col">Host</th><th scope="col">Connections</th><th scope="col">Last</th><th scope="col">Why</th></tr></thead>
          <tbody>${p.map((h) => html`<tr><td class="mono">${h.host}</td><td>${h.count}</td><td>${timeAgo(h.last, Date.now())}</td><td class="small">${passthroughReason(h, Date.now())}</td></tr>`)}</tbody></table>`}
    </section>`;
  }

  private lookups() {
    const l = this.dns;
    return html`<section class="card" aria-labelledby="names"><h2 id="names">Names it looked up</h2>
      ${!l ? html`<p class="muted">Loading…</p>` : 'off' in l ? html`<p class="muted">${l.off}</p>` : l.data.length === 0 ? html`<p class="muted">None seen yet.</p>` : html`
        <div class="names" tabindex="0" role="region" aria-label="Names it looked up, scrollable"><table><thead><tr><th scope="col">Name</th><th scope="col">Times</th></tr></thead>
          <tbody>${l.data.map((n) => html`<tr><td class="mono">${n.name}</td><td>${n.count}</td></tr>`)}</tbody></table></div>`}
    </section>`;
  }

  private async load(): Promise<void> {
    this.problem = '';
    const id = this.deviceId;
    const captured = <T>(p: Promise<T>): Promise<Captured<T>> => p.then((data) => ({ data }), (e: ApiError) => ({ off: e.code === 'LW_ERR_CAPTURE_OFF' ? 'Packet capture is off on this appliance, so its traffic is not counted.' : e.message }));
    try {
      this.device = (await listDevices()).find((d) => d.id === id);
      if (!this.device) this.problem = `No device ${id} has been seen.`;
    } catch (error) {
      this.problem = (error as ApiError).message;
      return;
    }
    const [traffic, dns, passthrough] = await Promise.all([captured(deviceTraffic(id)), captured(deviceDns(id)), devicePassthrough(id).catch(() => [])]);
    this.traffic = traffic;
    this.dns = dns;
    this.passthrough = passthrough;
  }

  private async rename(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const value = this.renderRoot.querySelector<HTMLInputElement>('#name')!.value.trim();
    try {
      const { name } = await renameDevice(this.deviceId, value || null);
      this.device = { ...this.device!, name };
      this.editing = false;
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }
}
customElements.define('lw-device-detail', LwDeviceDetail);

declare global {
  interface HTMLElementTagNameMap {
    'lw-device-detail': LwDeviceDetail;
  }
}
