import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { db } from "@/db/client";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { authSecret, env, exportNextAuthEnv } from "@/lib/env";
import { accordAdapter } from "./adapter";
import { SESSION_MAX_AGE_SECONDS } from "./session-token";

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
}

/** Any standard OpenID Connect issuer (Okta, Entra ID, Google, Keycloak) from three variables. */
export function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const { AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET, AUTH_OIDC_NAME } = env();
  if (!AUTH_OIDC_ISSUER || !AUTH_OIDC_CLIENT_ID || !AUTH_OIDC_CLIENT_SECRET) return null;
  const issuer = AUTH_OIDC_ISSUER.replace(/\/$/, "");
  return {
    id: "oidc",
    name: AUTH_OIDC_NAME,
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: AUTH_OIDC_CLIENT_ID,
    clientSecret: AUTH_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    // The company's own identity provider vouches for the email; it is how people are matched to identities.
    allowDangerousEmailAccountLinking: true,
    profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub }),
  };
}

export function authOptions(): NextAuthOptions {
  exportNextAuthEnv();
  const provider = oidcProvider();
  return {
    adapter: accordAdapter(db()),
    providers: provider ? [provider] : [],
    secret: authSecret(),
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // Only people Accord knows, and who are active, may sign in.
      signIn: async ({ user }) => {
        if (!user.email) return "/signin?error=NoEmail";
        const actor = await loadActiveActorByEmail(db(), user.email);
        return actor ? true : "/signin?error=NotInInventory";
      },
      session: ({ session, user }) => ({ ...session, user: { ...session.user, id: user.id } }),
    },
    events: {
      signIn: async ({ user, account }) => {
        await db().transaction((tx) =>
          recordAudit(tx, {
            actor: { kind: "human", id: user.id, label: user.email ?? user.id },
            action: "session.signed_in",
            entityType: "identity",
            entityId: user.id,
            after: { method: account?.provider ?? "unknown" },
            at: new Date(),
          }),
        );
      },
    },
  };
}
