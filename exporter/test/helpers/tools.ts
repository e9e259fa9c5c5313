import { execFileSync } from 'node:child_process';

/**
 * A test that needs an external tool: with CI=true a missing tool fails the test (CI must never pass
 * by skipping); elsewhere the test is skipped with a message saying what to install.
 */
export function requireTool(command: string, install: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`${command} is required with CI=true: ${install}`);
    process.stderr.write(`skipping: ${command} not found (${install})\n`);
    return false;
  }
}
