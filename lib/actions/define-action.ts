import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import type { Actor } from "@/lib/domain/access/actor";
import { systemDeps, type Deps } from "@/lib/domain/deps";
import { isDomainError, type DomainErrorCode } from "@/lib/errors";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: DomainErrorCode | "INTERNAL"; message: string; fieldErrors?: Record<string, string[]> };

type Input = FormData | Record<string, unknown>;

function toObject(input: Input): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) if (!key.startsWith("$ACTION")) out[key] = value;
  return out;
}

/**
 * The one way to write a server action: read the actor from the session (never from the
 * client), validate with zod, call the domain service, revalidate after the commit, and
 * return a typed result. Only domain errors reach the user; anything else is logged with an id.
 */
export function defineAction<S extends z.ZodType, R>(config: {
  name: string;
  schema: S;
  run: (deps: Deps, actor: Actor, input: z.output<S>) => Promise<R>;
  revalidate?: (input: z.output<S>, result: R) => string[];
}) {
  return async (input: Input): Promise<ActionResult<R>> => {
    const actor = await currentActor();
    if (!actor) return { ok: false, code: "UNAUTHENTICATED", message: "Your session has ended. Please sign in again." };
    const parsed = config.schema.safeParse(toObject(input));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
      return { ok: false, code: "INVALID", message: "Some fields need attention.", fieldErrors };
    }
    try {
      const data = await config.run(systemDeps(db()), actor, parsed.data);
      for (const path of config.revalidate?.(parsed.data, data) ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (error) {
      if (isDomainError(error)) return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
      const requestId = randomUUID();
      console.error(`[action ${config.name}] request ${requestId}`, error);
      return { ok: false, code: "INTERNAL", message: `Something went wrong and nothing was saved. Reference: ${requestId}` };
    }
  };
}
