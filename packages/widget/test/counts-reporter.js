// @ts-check
// Writes `{"passed": N, "failed": N}` to $TEST_COUNTS_FILE when the run ends, so that the root
// `pnpm test` can total every suite. A test file that failed to load counts as one failure.
import { writeFileSync } from 'node:fs';

/**
 * @typedef {{ passed: boolean, skipped?: boolean }} TestResult
 * @typedef {{ tests: TestResult[], suites: Suite[] }} Suite
 */

/**
 * @param {Suite | undefined} suite
 * @param {{ passed: number, failed: number }} counts
 */
function count(suite, counts) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) continue;
    if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite?.suites ?? []) count(child, counts);
}

/** @returns {import('@web/test-runner').Reporter} */
export function countsReporter(file = process.env.TEST_COUNTS_FILE) {
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const counts = { passed: 0, failed: 0 };
      for (const session of sessions) {
        const failedBefore = counts.failed;
        count(session.testResults, counts);
        // A session that failed without a failing test (it did not load, or threw outside a
        // test) still failed.
        if (!session.passed && counts.failed === failedBefore) counts.failed += 1;
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
