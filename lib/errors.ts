/** Typed domain errors with stable codes: the only errors whose message reaches a user. */
export type DomainErrorCode = "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "INVALID" | "UNAUTHENTICATED";

export class DomainError extends Error {
  constructor(
    public readonly code: DomainErrorCode,
    message: string,
    public readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class NotFound extends DomainError {
  constructor(what = "That record") {
    super("NOT_FOUND", `${what} was not found.`);
  }
}

export class Forbidden extends DomainError {
  constructor(message = "You are not allowed to do that.") {
    super("FORBIDDEN", message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}

export class Invalid extends DomainError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("INVALID", message, fieldErrors);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = "Please sign in.") {
    super("UNAUTHENTICATED", message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
