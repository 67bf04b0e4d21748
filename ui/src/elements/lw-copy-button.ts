import { LitElement, html } from 'lit';
import { shared } from '../styles.js';

/**
 * Copies a text to the clipboard: the Clipboard API where the page is a secure context (HTTPS or
 * loopback), else a selected hidden field and the older copy command, which plain HTTP still allows.
 */
export class LwCopyButton extends LitElement {
  static override properties = { text: {}, label: {}, copied: { state: true } };
  text = '';
  label = 'Copy';
  copied = false;
  static override styles = shared;

  override render() {
    return html`<button class="secondary" type="button" @click=${this.copy} aria-label="${this.label}">${this.copied ? 'Copied' : this.label}</button>
      <span class="visually-hidden" aria-live="polite">${this.copied ? 'Copied to the clipboard' : ''}</span>
      <textarea class="visually-hidden" tabindex="-1" aria-hidden="true" readonly .value=${this.text}></textarea>`;
  }

  private async copy(): Promise<void> {
    try {
      if (window.isSecureContext && navigator.clipboard) await navigator.clipboard.writeText(this.text);
      else this.copyBySelection();
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    } catch {
      this.copyBySelection();
    }
  }

  private copyBySelection(): void {
    const field = this.renderRoot.querySelector('textarea');
    if (!field) return;
    field.select();
    this.copied = document.execCommand('copy');
  }
}
customElements.define('lw-copy-button', LwCopyButton);

declare global {
  interface HTMLElementTagNameMap {
    'lw-copy-button': LwCopyButton;
  }
}
