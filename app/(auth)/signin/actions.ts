"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/db/client";
import { startDemoSession } from "@/lib/auth/sessions";
import { sessionCookie } from "@/lib/auth/session-token";
import { systemDeps } from "@/lib/domain/deps";
import { isDomainError } from "@/lib/errors";

const demoInput = z.object({ email: z.email() });

/** One-click sign-in as a demo person; refused unless demo mode is on (checked in the domain). */
export async function signInAsDemoPerson(_: unknown, formData: FormData): Promise<{ error: string } | undefined> {
  const parsed = demoInput.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { error: "Choose a demo person." };
  try {
    const { token, expires } = await startDemoSession(systemDeps(db()), parsed.data.email);
    const cookie = sessionCookie();
    (await cookies()).set(cookie.name, token, { ...cookie.options, expires });
  } catch (error) {
    if (isDomainError(error)) return { error: error.message };
    throw error;
  }
  redirect("/");
}
