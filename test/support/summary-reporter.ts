import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a run with one plain line, `tests: N passed, N failed, N skipped`, that CI and people
 * can read without parsing vitest's coloured summary. Under CI=true any skipped test fails the run.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedNames: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          skippedNames.push(`${module.moduleId.replace(process.cwd() + '/', '')} > ${test.fullName}`);
        }
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    // CI installs everything the tests need (.ci/run): a skip there hides a broken install step.
    if (process.env.CI && skipped > 0) {
      process.stdout.write(`CI=true and ${skipped} tests skipped, which fails the run:\n${skippedNames.map((n) => `  ${n}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  }
}
