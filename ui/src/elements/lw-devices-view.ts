import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { Device } from '../api/types.js';
import { listDevices } from '../data/devices.js';
import { plural, timeAgo } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

/** Every device the hotspot has seen, most recent first: name, maker, MAC, last seen, alerts. */
export class LwDevicesView extends LitElement {
  static override properties = { devices: { state: true }, problem: { state: true } };
  devices: Device[] | undefined;
  problem = '';

  static override styles = [shared, css`
    ul { list-style: none; padding: 0; margin: 0; }
    a.device { display: block; color: inherit; text-decoration: none; }
    .name { font-weight: 600; font-size: 1.05rem; overflow-wrap: anywhere; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    listDevices().then((d) => (this.devices = d), (e: ApiError) => (this.problem = e.message));
  }

  override render() {
    const now = Date.now();
    return html`<h1>Devices</h1>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.devices?.length === 0 ? html`<section class="card empty"><h2>No devices yet</h2><p>Join a phone to the appliance's Wi-Fi and open any page: it shows up here.</p><a class="button" href=${href('setup')}>How to set up a phone</a></section>` : ''}
      <ul>${(this.devices ?? []).map((d) => html`<li class="card"><a class="device" href=${href('device', d.id)}>
        <span class="spread"><span class="name">${d.name ?? d.hostname ?? d.id}</span>${d.alerts ? html`<span class="badge ${d.unread ? 'china' : ''}">${plural(d.alerts, 'alert')}${d.unread ? `, ${d.unread} unread` : ''}</span>` : html`<span class="badge">no alerts</span>`}</span>
        <span class="small muted">${d.vendor ?? (d.randomisedMac ? 'Private MAC (maker hidden)' : 'Maker unknown')} · <span class="mono">${d.mac ?? d.ip ?? d.id}</span>${d.randomisedMac ? ' (randomised)' : ''} · seen ${timeAgo(d.lastSeen, now)}</span>
      </a></li>`)}</ul>`;
  }
}
customElements.define('lw-devices-view', LwDevicesView);

declare global {
  interface HTMLElementTagNameMap {
    'lw-devices-view': LwDevicesView;
  }
}
