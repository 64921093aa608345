import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { db } from "@/db/client";
import { findSignInIdentityByEmail } from "@/db/queries/auth";
import { currentActor } from "@/lib/auth/current-actor";
import { oidcProvider } from "@/lib/auth/options";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { env } from "@/lib/env";
import { queryOf, type SearchParams } from "@/lib/pages";
import { DemoPeople } from "./_components/demo-people";
import { SsoButton } from "./_components/sso-button";

export const metadata: Metadata = { title: "Sign in" };

const errors: Record<string, string> = {
  NotInInventory: "Your identity provider signed you in, but Accord has no active identity with that email. Ask an admin to add or reactivate you.",
  NoEmail: "Your identity provider did not share an email address, so Accord cannot tell who you are.",
  AccessDenied: "You cannot sign in to Accord.",
  OAuthSignin: "Accord could not reach the identity provider. Try again in a moment.",
  OAuthCallback: "The identity provider's answer could not be verified. Try again.",
  Callback: "Sign-in could not be completed. Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  if (await currentActor()) redirect("/");
  const query = await queryOf(searchParams);
  const provider = oidcProvider();
  const demo = env().ACCORD_DEMO;
  const people = demo
    ? (
        await Promise.all(
          DEMO_PEOPLE.map(async (p) => {
            const identity = await findSignInIdentityByEmail(db(), { email: p.email });
            return identity ? { email: p.email, label: p.label, role: p.role.replace("_", " "), name: identity.name } : null;
          }),
        )
      ).filter((p): p is NonNullable<typeof p> => p !== null)
    : [];
  const error = query.error ? (errors[query.error] ?? "Sign-in failed. Try again.") : null;

  return (
    <main className="mx-auto mt-16 max-w-md px-4">
      <h1 className="text-3xl font-semibold tracking-tight">Accord</h1>
      <p className="mt-1 text-slate-700">Access reviews and privileged-access governance.</p>
      {error ? (
        <p role="alert" className="mt-6 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {error}
        </p>
      ) : null}
      <div className="mt-8 space-y-8">
        {provider ? <SsoButton name={provider.name} /> : null}
        {!provider && !demo ? (
          <p className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900">
            No sign-in method is configured. Set AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET (see the README).
          </p>
        ) : null}
        {demo ? (
          <section aria-labelledby="demo-heading">
            <h2 id="demo-heading" className="text-lg font-semibold">
              Demo sign-in
            </h2>
            <p className="mb-3 text-sm text-slate-700">Demo mode is on: sign in as one of the seeded people, one per role.</p>
            <DemoPeople people={people} />
          </section>
        ) : null}
      </div>
    </main>
  );
}
