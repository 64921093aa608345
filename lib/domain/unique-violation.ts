import { Conflict } from "@/lib/errors";

/** The constraint a PostgreSQL unique violation (23505) names, looking through drizzle's wrapping; null for anything else. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint_name } = e as { code?: unknown; constraint_name?: unknown };
    if (code === "23505") return typeof constraint_name === "string" ? constraint_name : "";
  }
  return null;
}

/**
 * Runs a write whose invariants the database also enforces (a race the service's own check
 * cannot see): a violation of one of `constraints` becomes a Conflict with the message given.
 */
export async function conflictOnUnique<T>(write: () => Promise<T>, constraints: Record<string, string>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const name = uniqueViolation(error);
    if (name !== null && name in constraints) throw new Conflict(constraints[name]!);
    throw error;
  }
}
