import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { FlowDetail, ListedAlert } from '../api/types.js';
import { acknowledge, bundleUrl, getAlert, harUrl } from '../data/alerts.js';
import { getFlow } from '../data/flows.js';
import { CONFIDENCE_MEANING, alertTitle, chinaLinkBadge, chinaLinkMeaning } from '../logic/alert-text.js';
import { countryName, dateTime, timeAgo } from '../logic/format.js';
import { splitHighlight } from '../logic/highlight.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-request.js';

/**
 * The evidence a journalist could show: what was browsed and when, what left and to whom (and why
 * that receiver counts as china-linked), how it was hidden, step by step, the decoded text with the
 * match marked, the raw request, and the HAR and evidence bundle to download.
 */
export class LwAlertDetail extends LitElement {
  static override properties = { alertId: {}, alert: { state: true }, flow: { state: true }, flowProblem: { state: true }, problem: { state: true } };
  alertId = '';
  alert: ListedAlert | undefined;
  flow: FlowDetail | undefined;
  flowProblem = '';
  problem = '';

  static override styles = [shared, css`
    ol.chain { padding-left: 1.4rem; margin: 0.25rem 0; }
    ol.chain li { margin: 0.2rem 0; }
    pre.excerpt { white-space: pre-wrap; overflow-wrap: anywhere; font-family: var(--lw-mono); font-size: 0.8rem; background: color-mix(in srgb, var(--lw-border) 30%, transparent); padding: 0.6rem; border-radius: 6px; }
    mark { background: var(--lw-mark); color: inherit; font-weight: 700; }
    ul.reasons { margin: 0.25rem 0; padding-left: 1.2rem; }
  `];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('alertId') && this.alertId) void this.load();
  }

  override render() {
    const a = this.alert;
    if (this.problem) return html`<p><a href=${href('alerts')}>← Alerts</a></p><p class="error" role="alert">${this.problem}</p>`;
    if (!a) return html`<p class="muted" role="status">Loading…</p>`;
    const d = a.destination;
    const [before, match, after] = splitHighlight(a.evidence.excerpt, a.evidence.highlight);
    return html`
      <p><a href=${href('alerts')}>← Alerts</a></p>
      <h1>${alertTitle(a)}</h1>
      <p class="row">
        <span class="badge sev-${a.severity}">${a.severity}</span><span class="badge">${a.confidence}</span>
        ${d.chinaLinked ? html`<span class="badge china">${chinaLinkBadge(d)}</span>` : ''}
        <span class="muted small">${dateTime(a.time)} (${timeAgo(Date.parse(a.time), Date.now())})</span>
      </p>
      <p class="small">${CONFIDENCE_MEANING[a.confidence]}${a.upgradedFrom ? ` First raised as ${a.upgradedFrom}; a page load seen afterwards raised it to ${a.confidence}.` : ''}</p>

      <section class="card" aria-labelledby="browsed"><h2 id="browsed">What was browsed</h2>
        <dl>
          <dt>${a.data.kind === 'search' ? 'Search' : a.data.kind === 'host' ? 'Site' : a.data.kind === 'canary' ? 'Canary' : 'Page'}</dt><dd class="mono">${a.data.value}</dd>
          ${a.evidence.browsedUrl ? html`<dt>Page load</dt><dd class="mono">${a.evidence.browsedUrl}</dd>` : ''}
          ${a.evidence.browsedAt !== undefined ? html`<dt>Loaded</dt><dd>${dateTime(a.evidence.browsedAt)}</dd>` : ''}
          <dt>Device</dt><dd><a href=${href('device', a.device)}>${a.device}</a></dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="where"><h2 id="where">Where it went</h2>
        <dl>
          <dt>Host</dt><dd class="mono">${d.host}:${d.port}</dd>
          <dt>Address</dt><dd class="mono">${d.ip ?? 'unknown'}</dd>
          <dt>Network</dt><dd>${d.asn ? `AS${d.asn} ` : ''}${d.org ?? 'unknown'}</dd>
          <dt>Registered in</dt><dd>${countryName(d.country)}</dd>
          ${d.owner ? html`<dt>Company</dt><dd>${d.owner}${d.ownerCountry ? ` (${countryName(d.ownerCountry)})` : ''}</dd>` : ''}
          ${d.registrableDomain ? html`<dt>Domain</dt><dd class="mono">${d.registrableDomain}</dd>` : ''}
        </dl>
        ${d.chinaLinked ? html`<h3>Why it counts as china-linked</h3><p class="small">${chinaLinkMeaning(d)}</p><ul class="reasons">${d.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : html`<p class="small muted">Not china-linked by the appliance's lists and policy.</p>`}
      </section>

      <section class="card" aria-labelledby="how"><h2 id="how">How it was hidden</h2>
        ${a.evidence.steps.length === 0 ? html`<p>Not hidden: the value was in the request as it is.</p>` : html`<ol class="chain">${a.evidence.steps.map((s) => html`<li><span class="mono">${s.codec}</span>${s.at ? html` at <span class="mono">${s.at}</span>` : ''}</li>`)}</ol>`}
        ${a.evidence.format ? html`<p class="small">Recognised format: <span class="mono">${a.evidence.format}</span></p>` : ''}
        ${a.evidence.field ? html`<p class="small">Field: <span class="mono">${a.evidence.field}</span></p>` : ''}
        <h3>What was found, decoded</h3>
        <pre class="excerpt">${before}<mark>${match}</mark>${after}</pre>
        <p class="small muted">Matched as <span class="mono">${a.data.form}</span>: <span class="mono">${a.data.matched}</span></p>
      </section>

      <section class="card" aria-labelledby="raw"><h2 id="raw">The request</h2>
        ${this.flow ? html`<lw-request .flow=${this.flow}></lw-request>` : html`<p class="muted">${this.flowProblem || 'Loading…'}</p>`}
      </section>

      <section class="card" aria-labelledby="dl"><h2 id="dl">Evidence to keep</h2>
        <p class="row"><a class="button" href=${bundleUrl(a.id)} download>Evidence bundle (.zip)</a><a class="button secondary" href=${harUrl(a.id)} download>HAR</a></p>
        <p class="small muted">The bundle holds this alert, the requests as HAR, the packets when captured, and SHA-256 sums to show nothing was changed.</p>
      </section>
      ${a.acknowledged ? '' : html`<button type="button" @click=${this.acknowledge}>Mark as read</button>`}`;
  }

  private async load(): Promise<void> {
    this.alert = undefined;
    this.flow = undefined;
    this.problem = '';
    this.flowProblem = '';
    try {
      this.alert = await getAlert(this.alertId);
    } catch (error) {
      this.problem = (error as ApiError).message;
      return;
    }
    getFlow(this.alert.flow.id).then((f) => (this.flow = f), (error: ApiError) => (this.flowProblem = error.code === 'LW_ERR_FLOW_NOT_FOUND' ? 'The request is no longer stored (retention); the alert above keeps what was found.' : error.message));
  }

  private async acknowledge(): Promise<void> {
    if (!this.alert) return;
    try {
      await acknowledge(this.alert.id);
      this.alert = { ...this.alert, acknowledged: true };
      this.dispatchEvent(new CustomEvent('alerts-read', { bubbles: true, composed: true }));
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }
}
customElements.define('lw-alert-detail', LwAlertDetail);

declare global {
  interface HTMLElementTagNameMap {
    'lw-alert-detail': LwAlertDetail;
  }
}
