import type { Executor } from "@/db/client";
import { resolveScope, type Scope } from "@/db/queries/scope";
import type { Actor } from "./actor";
import { seesEverything } from "./rules";

/** What the actor may see, resolved once per request for the list queries. */
export function scopeOf(db: Executor, actor: Actor): Promise<Scope> {
  return resolveScope(db, { actorId: actor.id, everything: seesEverything(actor) });
}
