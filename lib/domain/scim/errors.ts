import { isDomainError } from "@/lib/errors";

export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/** RFC 7644 §3.12 Table 9. */
export type ScimType = "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax" | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive";

/** An error the SCIM client is meant to read: status, optional scimType, and a human detail. */
export class ScimError extends Error {
  constructor(
    public readonly status: number,
    public readonly detail: string,
    public readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export const invalidValue = (detail: string) => new ScimError(400, detail, "invalidValue");
export const invalidSyntax = (detail: string) => new ScimError(400, detail, "invalidSyntax");
export const invalidFilter = (detail: string) => new ScimError(400, detail, "invalidFilter");
export const invalidPath = (detail: string) => new ScimError(400, detail, "invalidPath");
export const notFound = (what: string) => new ScimError(404, `${what} not found.`);

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function errorBody(error: ScimError): ScimErrorBody {
  return { schemas: [ERROR_SCHEMA], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail };
}

/** SQLSTATE of a postgres.js error, looking through drizzle's wrapping. */
function sqlState(error: unknown): { code: string; constraint?: string } | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, constraint: (e as { constraint_name?: string }).constraint_name };
  }
  return null;
}

/**
 * Maps anything thrown while serving a request to a SCIM error. Typed errors keep their
 * message; database conflicts become 409 so a retrying client is never told "500"; anything
 * else is an internal error whose detail stays in the server log.
 */
export function toScimError(error: unknown): { error: ScimError; internal: boolean } {
  if (error instanceof ScimError) return { error, internal: false };
  if (isDomainError(error)) {
    const status = { NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409, INVALID: 400, UNAUTHENTICATED: 401 }[error.code];
    const scimType = error.code === "CONFLICT" ? "uniqueness" : error.code === "INVALID" ? "invalidValue" : undefined;
    return { error: new ScimError(status, error.message, scimType), internal: false };
  }
  const state = sqlState(error);
  if (state?.code === "23505") return { error: new ScimError(409, "A resource with that value already exists.", "uniqueness"), internal: false };
  // Serialization failures and deadlocks: the client may simply retry.
  if (state?.code === "40001" || state?.code === "40P01") return { error: new ScimError(409, "A concurrent change won; read the resource again and retry."), internal: false };
  // Class 22 is "data exception" (a value PostgreSQL cannot take): the input was at fault.
  if (state?.code.startsWith("22")) return { error: invalidValue("A value is out of range or malformed."), internal: false };
  return { error: new ScimError(500, "Internal error."), internal: true };
}
