/**
 * An expected failure (bad setting, unreachable database, missing table) that the CLI reports as one
 * clear message and a non-zero exit code, without a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
