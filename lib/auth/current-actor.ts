import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/access/actor";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import { authOptions } from "./options";

/**
 * The signed-in actor for this request, re-read from the database every time (cached only
 * within one render), so a suspended person's very next request is refused.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? loadActiveActor(db(), id) : null;
});

export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return actor;
}
