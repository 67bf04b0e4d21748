import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { CanarySessionView, CanaryTest, Device } from '../api/types.js';
import type { AlertStream } from '../controllers/alert-stream.js';
import { endCanary, listCanaries, startCanary } from '../data/canaries.js';
import { listSessions, openRound, startSession } from '../data/canary-sessions.js';
import { listDevices } from '../data/devices.js';
import { dateTime, plural, timeAgo } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';
import './lw-canary-session.js';
import './lw-copy-button.js';

/**
 * Canary tests: one tap makes a unique search phrase and page; the user searches or opens it in
 * the browser under test. Watched live: a canary found in anything the phone sends to another
 * party is a proven alert, and the test says so.
 */
export class LwCanaryView extends LitElement {
  static override properties = { stream: { attribute: false }, tests: { state: true }, sessions: { state: true }, devices: { state: true }, busy: { state: true }, problem: { state: true } };
  stream: AlertStream | undefined;
  tests: CanaryTest[] | undefined;
  sessions: CanarySessionView[] | undefined;
  devices: Device[] = [];
  busy = false;
  problem = '';
  private off: (() => void) | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;

  static override styles = [shared, css`
    .secret { display: grid; grid-template-columns: 1fr auto; gap: 0.5rem; align-items: center; margin: 0.25rem 0 0.5rem; }
    .leaked { border-color: var(--lw-critical); }
    .status { font-weight: 700; }
    .leaked .status { color: var(--lw-critical); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    listDevices().then((d) => (this.devices = d), () => undefined);
    this.addEventListener('changed', () => void this.refresh());
    void this.refresh();
    this.off = this.stream?.onAlert((a) => {
      if (a.confidence === 'proven') void this.refresh();
    });
    // The stream may be reconnecting; a slow poll keeps the counts honest meanwhile.
    this.poll = setInterval(() => void this.refresh(), 15_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
    clearInterval(this.poll);
  }

  override render() {
    return html`<h1>Canary tests</h1>
      <p>A canary is a page and a phrase made for one test, that exist nowhere else. Open and search them in the browser you want to test, in normal and in private/incognito mode. If one ever shows up in something the phone sends to another company, that is proof the browser reports what you do.</p>
      <form class="card" @submit=${this.startSession} aria-label="Start the incognito experiment">
        <h2>The incognito experiment</h2>
        <p class="small">One round in normal mode, one in incognito: the verdict says which leaked, to whom and how, and the report can be published.</p>
        <label for="app">App under test</label>
        <input id="app" maxlength="200" required placeholder="e.g. Mint Browser 3.4" autocomplete="off">
        <label for="session-device">Device</label>
        <select id="session-device"><option value="">Any device on the hotspot</option>${this.devices.map((d) => html`<option value=${d.id}>${d.name ?? d.hostname ?? d.id}</option>`)}</select>
        <p><button type="submit" ?disabled=${this.busy}>Start a session</button></p>
      </form>
      ${(this.sessions ?? []).map((session) => html`<lw-canary-session .session=${session}></lw-canary-session>`)}
      <h2>Quick canary</h2>
      <form class="card" @submit=${this.start} aria-label="Start a canary test">
        <label for="note">What are you testing? (optional)</label>
        <input id="note" maxlength="200" placeholder="e.g. Mint Browser 3.4, incognito" autocomplete="off">
        <p><button type="submit" ?disabled=${this.busy}>${this.busy ? 'Starting…' : 'Start a canary test'}</button></p>
      </form>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.tests?.length === 0 ? html`<p class="muted">No quick canary yet.</p>` : ''}
      ${(this.tests ?? []).map((t) => this.test(t))}`;
  }

  private test(t: CanaryTest) {
    const leaked = t.alerts > 0;
    return html`<section class="card ${leaked ? 'leaked' : ''}" aria-label="Canary test ${t.token}">
      <div class="spread"><h2>${t.note ?? t.token}</h2><span class="small muted">started ${timeAgo(t.created, Date.now())}</span></div>
      <p class="status" role="status">${leaked ? `Leaked: seen leaving the phone ${plural(t.alerts, 'time')}, last ${t.lastSeen ? dateTime(t.lastSeen) : ''}` : 'Watching: not seen leaving the phone yet'}</p>
      <label>Search for</label>
      <div class="secret"><span class="mono">${t.searchTerm}</span><lw-copy-button .text=${t.searchTerm} label="Copy phrase"></lw-copy-button></div>
      <label>Or open this page</label>
      <div class="secret"><a class="mono" href=${t.pageUrl} target="_blank" rel="noopener">${t.pageUrl}</a><lw-copy-button .text=${t.pageUrl} label="Copy link"></lw-copy-button></div>
      <p class="row">
        ${leaked ? html`<a class="button" href=${href('alerts')}>See the proven alerts</a>` : ''}
        <button class="secondary" type="button" @click=${() => void this.end(t.token)}>End this test</button>
      </p>
    </section>`;
  }

  private async refresh(): Promise<void> {
    try {
      [this.tests, this.sessions] = await Promise.all([listCanaries(), listSessions()]);
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }

  private async start(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const note = this.renderRoot.querySelector<HTMLInputElement>('#note')!;
    this.busy = true;
    this.problem = '';
    try {
      const test = await startCanary(note.value);
      note.value = '';
      this.tests = [test, ...(this.tests ?? []).filter((t) => t.token !== test.token)];
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.busy = false;
    }
  }

  private async startSession(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const app = this.renderRoot.querySelector<HTMLInputElement>('#app')!;
    const device = this.renderRoot.querySelector<HTMLSelectElement>('#session-device')!.value || null;
    this.busy = true;
    this.problem = '';
    try {
      const session = await startSession(app.value.trim(), device);
      await openRound(session.id, 'normal');
      app.value = '';
      await this.refresh();
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.busy = false;
    }
  }

  private async end(token: string): Promise<void> {
    try {
      await endCanary(token);
      this.tests = (this.tests ?? []).filter((t) => t.token !== token);
    } catch (error) {
      this.problem = (error as ApiError).message;
    }
  }
}
customElements.define('lw-canary-view', LwCanaryView);

declare global {
  interface HTMLElementTagNameMap {
    'lw-canary-view': LwCanaryView;
  }
}
