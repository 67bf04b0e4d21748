/**
 * provisioning/nftables/ and provisioning/lib/render.sh as the Pi installer uses them: the files
 * install.sh renders, checked by nft and loaded twice into a bare namespace next to a
 * NetworkManager-like table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../appliance/src/system/firewall.js';
import { removeNamespace, run } from '../../lab/host.js';
import { renderInstall } from '../../lab/installer.js';
import type { RenderedInstall } from '../../lab/installer.js';
import { labUnavailable } from '../../lab/lab.js';
import { loadRuleset } from '../../lab/network.js';
import { TEMPLATES, renderTemplate } from '../../lab/render.js';
import { namespaceNames } from '../../lab/topology.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

/** A template without its comments (which do mention `flush ruleset`, to forbid it). */
const statements = (file: string) => readFileSync(file, 'utf8').split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');
const VALUES = { HOTSPOT_IF: 'hot0', UPLINK_IF: 'up0', HOTSPOT_NET: '10.42.0.0/24', HTTP_PORT: '8081', HTTPS_PORT: '8443', PROXY_PORT: '8888' };

describe('the nftables templates and render.sh', () => {
  it('never flush the ruleset, and declare no table but their own', () => {
    for (const [file, table] of [[TEMPLATES.nftables, 'inet leakwatch'], [TEMPLATES.redirect, 'inet leakwatch_redirect']] as const) {
      expect(statements(file)).not.toMatch(/flush\s+ruleset/);
      expect([...statements(file).matchAll(/^\s*(?:table|delete table)\s+(\S+\s+\S+)/gm)].map((m) => m[1])).toEqual([table, table, table]);
    }
  });

  it('keep the redirect apart from NAT, so removing it (leakwatch down) leaves the phones their internet', () => {
    expect(statements(TEMPLATES.redirect)).toMatch(/redirect to/);
    expect(statements(TEMPLATES.redirect)).not.toMatch(/masquerade/);
    expect(statements(TEMPLATES.nftables)).toMatch(/masquerade/);
    expect(statements(TEMPLATES.nftables)).not.toMatch(/redirect to/);
  });

  it('refuses to render when a token has no value, naming the variable to set', () => {
    const { UPLINK_IF: _left_out, ...rest } = VALUES;
    expect(() => renderTemplate(TEMPLATES.nftables, rest)).toThrow(`render.sh: ${TEMPLATES.nftables}: no value for @UPLINK_IF@ (set UPLINK_IF)`);
  });

  it('refuses a value that would break out of the quoted interface name', () => {
    expect(() => renderTemplate(TEMPLATES.nftables, { ...VALUES, HOTSPOT_IF: 'wlan0" accept #' })).toThrow('the value of HOTSPOT_IF contains a quote or a newline');
  });
});

const unavailable = requirePrerequisites('the ruleset namespace tests', labUnavailable());

describe.runIf(!unavailable)('the installer-rendered ruleset loaded into a namespace', () => {
  const ns = namespaceNames(`${process.pid}-${randomBytes(2).toString('hex')}`).appliance;
  const dir = mkdtempSync(join(tmpdir(), 'lw-ruleset-'));
  let install: RenderedInstall;
  const nft = (...args: string[]) => run('ip', ['netns', 'exec', ns, 'nft', ...args]);

  beforeAll(() => {
    run('ip', ['netns', 'add', ns]);
    install = renderInstall(dir);
  });

  afterAll(() => {
    removeNamespace(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every token, and passes nft -c', () => {
    for (const file of [install.nftables, install.redirect]) {
      expect(readFileSync(file, 'utf8')).not.toMatch(/@[A-Z_]+@/);
      expect(() => nft('-c', '-f', file)).not.toThrow();
    }
    expect(readFileSync(install.redirect, 'utf8')).toContain('iifname "hot0" fib daddr type != local tcp dport 443 redirect to :8443 comment "hotspot HTTPS to the proxy"');
    expect(readFileSync(install.nftables, 'utf8')).toContain('tcp dport { 8081, 8443, 8888 } iifname != { "hot0", "lo" } drop');
  });

  it('replaces its tables on a second load instead of duplicating rules, and leaves other tables alone', () => {
    // NetworkManager's shared mode keeps its NAT in a table of its own; a `flush ruleset` would delete it.
    nft('add', 'table', 'ip', 'nm-shared-hot0');
    nft('add', 'chain', 'ip', 'nm-shared-hot0', 'nat_postrouting', '{ type nat hook postrouting priority srcnat; }');
    for (let i = 0; i < 2; i++) {
      loadRuleset(ns, install.nftables);
      loadRuleset(ns, install.redirect);
    }
    expect(nft('list', 'tables')).toBe('table ip nm-shared-hot0\ntable inet leakwatch\ntable inet leakwatch_redirect\n');
    const listed = nft('list', 'ruleset');
    for (const comment of ['hotspot HTTP to the proxy', 'hotspot HTTPS to the proxy', 'hotspot NAT', 'no QUIC from the hotspot', 'no DNS-over-TLS from the hotspot', 'proxy ports: hotspot only']) {
      expect(listed.split(`comment "${comment}"`)).toHaveLength(2);
    }
  });

  it('fails open: deleting the redirect table (leakwatch.service stopping) leaves NAT and the drops', () => {
    nft('delete', 'table', 'inet', 'leakwatch_redirect');
    expect(nft('list', 'tables')).toBe('table ip nm-shared-hot0\ntable inet leakwatch\n');
    expect(parseRules(nft('-j', 'list', 'ruleset'))).toMatchObject({ state: 'loaded', rules: { redirectHttp: { present: false }, dropQuic: { present: true, packets: 0 } } });
  });

  it('is read back by the status the self-test and doctor use: every rule present, with its drop counters', () => {
    loadRuleset(ns, install.redirect);
    expect(parseRules(nft('-j', 'list', 'ruleset'))).toEqual({
      state: 'loaded',
      rules: {
        redirectHttp: { present: true, packets: null }, redirectHttps: { present: true, packets: null },
        dropQuic: { present: true, packets: 0 }, dropDnsOverTls: { present: true, packets: 0 },
      },
    });
  });
});
