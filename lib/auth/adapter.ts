import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import {
  deleteAuthSession,
  findLiveSession,
  findSignInIdentityByAccount,
  findSignInIdentityByEmail,
  findSignInIdentityById,
  insertAuthAccount,
  insertAuthSession,
  updateAuthSessionExpiry,
} from "@/db/queries/auth";
import type { Db } from "@/db/client";
import { hashSessionToken } from "./session-token";

type SignInIdentity = NonNullable<Awaited<ReturnType<typeof findSignInIdentityById>>>;

/** Only active people can hold a session; everyone else looks like nobody to next-auth. */
function toUser(row: SignInIdentity | null): AdapterUser | null {
  if (!row || row.kind !== "human" || row.status !== "active" || !row.email) return null;
  return { id: row.id, email: row.email, name: row.name, emailVerified: null };
}

/**
 * next-auth's view of Accord's identities. Sign-in never creates an identity: people come from
 * the inventory (SCIM, import), and the identity provider only proves who they are.
 */
export function accordAdapter(db: Db): Adapter {
  return {
    createUser: () => {
      throw new Error("Accord does not create identities at sign-in");
    },
    getUser: async (id) => toUser(await findSignInIdentityById(db, { identityId: id })),
    getUserByEmail: async (email) => toUser(await findSignInIdentityByEmail(db, { email })),
    getUserByAccount: async ({ provider, providerAccountId }) => toUser(await findSignInIdentityByAccount(db, { provider, providerAccountId })),
    updateUser: async (user) => {
      const current = toUser(await findSignInIdentityById(db, { identityId: user.id }));
      if (!current) throw new Error("identity cannot sign in");
      return current;
    },
    linkAccount: async (account: AdapterAccount) => {
      await insertAuthAccount(db, {
        identityId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        expiresAt: account.expires_at ?? null,
        tokenType: account.token_type ?? null,
        scope: account.scope ?? null,
      });
    },
    createSession: async ({ sessionToken, userId, expires }) => {
      await insertAuthSession(db, { tokenHash: hashSessionToken(sessionToken), identityId: userId, expiresAt: expires, method: "oidc" });
      return { sessionToken, userId, expires };
    },
    getSessionAndUser: async (sessionToken) => {
      const row = await findLiveSession(db, { tokenHash: hashSessionToken(sessionToken), now: new Date() });
      const user = toUser(row?.user ?? null);
      if (!row || !user) return null;
      return { session: { sessionToken, userId: row.identityId, expires: row.expiresAt }, user };
    },
    updateSession: async ({ sessionToken, expires }) => {
      if (expires) await updateAuthSessionExpiry(db, { tokenHash: hashSessionToken(sessionToken), expiresAt: expires });
      return null;
    },
    deleteSession: async (sessionToken) => {
      await deleteAuthSession(db, { tokenHash: hashSessionToken(sessionToken) });
    },
  };
}
