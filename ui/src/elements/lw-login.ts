import { LitElement, html } from 'lit';
import type { ApiError } from '../api/client.js';
import { login } from '../data/session.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

/**
 * The admin password. Wrong passwords and the API's rate limit (5 tries a minute) are said plainly;
 * a session that expired says so. Fires `logged-in` on success.
 */
export class LwLogin extends LitElement {
  static override properties = { expired: { type: Boolean }, busy: { state: true }, problem: { state: true } };
  expired = false;
  busy = false;
  problem = '';
  static override styles = shared;

  override render() {
    return html`<section class="card" aria-labelledby="login-title">
      <h1 id="login-title">Log in to leakwatch</h1>
      ${this.expired ? html`<p role="status">Your session ended. Log in again to carry on where you were.</p>` : ''}
      <form @submit=${this.submit}>
        <label for="password">Admin password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
        <p class="muted small">The installer printed it, or the appliance's log showed it once at first start. Lost it? Run <span class="mono">sudo leakwatch password</span> on the appliance.</p>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </section>
    <section class="card">
      <h2>New here?</h2>
      <p>Before you log in you can already <a href=${href('setup')}>install the appliance's certificate on this phone</a>.</p>
    </section>`;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#password')!;
    this.busy = true;
    this.problem = '';
    try {
      await login(field.value);
      field.value = '';
      this.dispatchEvent(new CustomEvent('logged-in', { bubbles: true, composed: true }));
    } catch (error) {
      const e = error as ApiError;
      this.problem = e.code === 'LW_ERR_LOGIN' ? 'That is not the admin password.' : e.code === 'LW_ERR_RATE_LIMITED' ? `Too many tries. ${e.message}` : e.message;
      field.select();
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('lw-login', LwLogin);

declare global {
  interface HTMLElementTagNameMap {
    'lw-login': LwLogin;
  }
}
