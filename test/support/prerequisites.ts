/**
 * Tests that need machine tools (root, namespaces, Chromium, tcpdump …) skip where those are
 * missing, saying why. Under CI=true a missing tool is a failure instead: CI installs everything
 * (.ci/run), so a skip there would hide a broken install step.
 */
export function requirePrerequisites(what: string, missing: string | undefined): string | undefined {
  if (missing === undefined) return undefined;
  if (process.env.CI) throw new Error(`${what} cannot run under CI: ${missing}. .ci/run must install it.`);
  process.stderr.write(`${what} skipped: ${missing}\n`);
  return missing;
}
