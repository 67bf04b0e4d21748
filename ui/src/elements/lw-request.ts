import { LitElement, css, html } from 'lit';
import type { FlowDetail } from '../api/types.js';
import { bytes, dateTime } from '../logic/format.js';
import { base64Bytes, hexDump } from '../logic/hex.js';
import { shared } from '../styles.js';

/**
 * A request as the appliance recorded it: method and URL, headers in the order sent, the body
 * excerpt (text as text, binary as a hex dump), the response status, and how its TLS was seen.
 * Everything here came from the phone's traffic: it is only ever rendered as text.
 */
export class LwRequest extends LitElement {
  static override properties = { flow: { attribute: false } };
  flow: FlowDetail | undefined;

  static override styles = [shared, css`
    pre { background: color-mix(in srgb, var(--lw-border) 30%, transparent); border-radius: 6px; padding: 0.6rem; overflow-x: auto; font-family: var(--lw-mono); font-size: 0.78rem; white-space: pre; max-height: 24rem; }
    pre.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
  `];

  override render() {
    const f = this.flow;
    if (!f) return html``;
    const tls = f.tls ? (f.tls.decryption === 'intercepted' ? 'Decrypted by the appliance' : 'Passed through: not decrypted (the phone refused the appliance certificate)') : f.url.startsWith('https:') ? 'HTTPS (how it was seen was not recorded)' : 'Plain HTTP: not encrypted';
    return html`
      <p class="mono">${f.method} ${f.url}</p>
      <dl>
        <dt>When</dt><dd>${dateTime(f.time)}</dd>
        <dt>Server</dt><dd>${f.host}${f.ip ? ` (${f.ip})` : ''}, port ${f.port}</dd>
        <dt>Protocol</dt><dd>${f.httpVersion ? `HTTP/${f.httpVersion}` : 'not recorded'}</dd>
        <dt>Encryption</dt><dd>${tls}</dd>
        ${f.tls?.ja4 ? html`<dt>Client (JA4)</dt><dd class="mono">${f.tls.ja4}</dd>` : ''}
        <dt>Response</dt><dd>${f.response ? `${f.response.status}${f.response.mimeType ? `, ${f.response.mimeType}` : ''}` : 'none seen'}</dd>
        <dt>Recorded by</dt><dd>${f.source}</dd>
      </dl>
      <details>
        <summary>Headers (${f.headers?.length ?? 0})</summary>
        ${f.headers === null ? html`<p class="muted">Not recorded.</p>` : html`<table><tbody>${f.headers.map((h) => html`<tr><th scope="row" class="mono">${h.name}</th><td class="mono">${h.value}</td></tr>`)}</tbody></table>`}
      </details>
      <details ?open=${f.body.bytes > 0}>
        <summary>Body (${bytes(f.body.bytes)}${f.body.cut ? `, first ${bytes(f.body.excerptBytes)} kept` : ''}${f.body.encoding === 'base64' ? ', binary' : ''})</summary>
        ${f.body.bytes === 0 ? html`<p class="muted">No body.</p>` : f.body.encoding === 'utf8' ? html`<pre class="wrap">${f.body.text}</pre>` : html`<pre aria-label="Body as a hex dump">${hexDump(base64Bytes(f.body.text)).join('\n')}</pre>`}
      </details>`;
  }
}
customElements.define('lw-request', LwRequest);

declare global {
  interface HTMLElementTagNameMap {
    'lw-request': LwRequest;
  }
}
