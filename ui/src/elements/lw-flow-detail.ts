import { LitElement, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { FlowDetail } from '../api/types.js';
import { flowHarUrl, getFlow } from '../data/flows.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-request.js';

/** One stored request, with its HAR. */
export class LwFlowDetail extends LitElement {
  static override properties = { flowId: {}, flow: { state: true }, problem: { state: true } };
  flowId = '';
  flow: FlowDetail | undefined;
  problem = '';
  static override styles = shared;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('flowId') && this.flowId) getFlow(this.flowId).then((f) => (this.flow = f), (e: ApiError) => (this.problem = e.message));
  }

  override render() {
    return html`<p><a href=${href('flows')}>← Stored requests</a></p><h1>Request</h1>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.flow ? html`<section class="card"><lw-request .flow=${this.flow}></lw-request></section>
        ${this.flow.alertIds.length ? html`<section class="card"><h2>Alerts on it</h2><ul>${this.flow.alertIds.map((id) => html`<li><a href=${href('alert', id)}>${id}</a></li>`)}</ul></section>` : ''}
        <a class="button secondary" href=${flowHarUrl(this.flow.id)} download>Download as HAR</a>` : this.problem ? '' : html`<p class="muted" role="status">Loading…</p>`}`;
  }
}
customElements.define('lw-flow-detail', LwFlowDetail);

declare global {
  interface HTMLElementTagNameMap {
    'lw-flow-detail': LwFlowDetail;
  }
}
