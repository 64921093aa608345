import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canViewAuditTrail, mayExportEvidence, mayListCampaigns, seesEverything } from "@/lib/domain/access/rules";
import { NavLink } from "@/components/ui/nav-link";
import { Badge } from "@/components/ui/badge";
import { QueryProvider } from "@/components/ui/query-provider";
import { signOut } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const roles = [...actor.roles, ...(actor.isManager ? ["manager"] : []), ...(actor.isAppOwner ? ["app owner"] : []), ...(actor.isNhiOwner ? ["NHI owner"] : [])];
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2">
          <Link href="/" className="mr-2 text-lg font-semibold tracking-tight">
            Accord
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            <NavLink href="/">Overview</NavLink>
            <NavLink href="/dashboard">Dashboard</NavLink>
            <NavLink href="/reviews">My reviews</NavLink>
            {mayListCampaigns(actor) ? <NavLink href="/campaigns">Campaigns</NavLink> : null}
            <NavLink href="/identities">Identities</NavLink>
            <NavLink href="/applications">Applications</NavLink>
            <NavLink href="/grants">Grants</NavLink>
            <NavLink href="/requests">Requests</NavLink>
            {actor.isManager || actor.isAppOwner || seesEverything(actor) ? <NavLink href="/approvals">Approvals</NavLink> : null}
            <NavLink href="/sessions">Sessions</NavLink>
            <NavLink href="/findings">Findings</NavLink>
            {seesEverything(actor) || actor.isAppOwner || actor.isManager ? <NavLink href="/revocations">Revocations</NavLink> : null}
            {canViewAuditTrail(actor) ? <NavLink href="/audit">Audit trail</NavLink> : null}
            {mayExportEvidence(actor) ? <NavLink href="/evidence">Evidence</NavLink> : null}
            {seesEverything(actor) ? <NavLink href="/admin">Administration</NavLink> : null}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              Signed in as <strong>{actor.displayName}</strong>{" "}
              {roles.map((r) => (
                <span key={r} className="ml-1">
                  <Badge tone={r === "auditor" ? "info" : r === "admin" ? "warn" : "neutral"}>{r}</Badge>
                </span>
              ))}
            </span>
            <form action={signOut}>
              <button type="submit" className="min-h-9 rounded border border-slate-400 px-3 py-1.5 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
