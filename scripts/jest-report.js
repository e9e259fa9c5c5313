// Jest testResultsProcessor shared by the workspaces: when JEST_REPORT_DIR is set (by .ci/run), each
// jest run also writes its results there, so CI can add up the totals of every suite of every workspace.
const fs = require('node:fs');
const path = require('node:path');

module.exports = function writeReport(results) {
  const dir = process.env.JEST_REPORT_DIR;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(process.cwd());
    fs.writeFileSync(
      path.join(dir, `${name}-${process.pid}.json`),
      JSON.stringify({
        numPassedTests: results.numPassedTests,
        numFailedTests: results.numFailedTests,
        numPendingTests: results.numPendingTests,
        numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
        numTotalTestSuites: results.numTotalTestSuites,
        success: results.success,
      }),
    );
  }
  return results;
};
