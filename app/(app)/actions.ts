"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/db/client";
import { endSession } from "@/lib/auth/sessions";
import { sessionCookie } from "@/lib/auth/session-token";
import { systemDeps } from "@/lib/domain/deps";

/** Deletes the database session, so the cookie is worthless even if it was copied. */
export async function signOut(): Promise<void> {
  const store = await cookies();
  const { name } = sessionCookie();
  const token = store.get(name)?.value;
  if (token) await endSession(systemDeps(db()), token);
  store.delete(name);
  redirect("/signin");
}
