import { notFound } from "next/navigation";
import { isDomainError } from "@/lib/errors";

/**
 * Loads what a page shows; "not found" and "forbidden" both become a 404 page, so a page for
 * something that does not exist or may not be seen is never a 500.
 */
export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (isDomainError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** First value of each query parameter, as zod schemas expect. */
export async function queryOf(searchParams: SearchParams): Promise<Record<string, string | undefined>> {
  const raw = await searchParams;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
