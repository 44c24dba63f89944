/** A user-facing failure: printed as one line on stderr, exit code 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function fail(message: string): never {
  throw new UsageError(message);
}
