import type { Scope } from "@/db/queries/scope";
import type { Actor } from "./actor";
import { seesEverything } from "./rules";

export function scopeOf(actor: Actor): Scope {
  return { actorId: actor.id, everything: seesEverything(actor) };
}
