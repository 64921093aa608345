import { createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/** Sessions live 8 hours: a working day, after which people sign in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const newSessionToken = () => randomBytes(32).toString("base64url");

/** The database keeps only this hash, so a leaked sessions table signs nobody in. */
export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The cookie next-auth 4 reads: __Secure- prefixed when Accord is served over https. */
export function sessionCookie() {
  const secure = env().AUTH_URL.startsWith("https://");
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}
