import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export type ActorRow = {
  id: string;
  display_name: string;
  email: string | null;
  status: "active" | "suspended" | "leaver";
  kind: "human" | "non_human";
  roles: ("admin" | "auditor")[] | null;
  is_manager: boolean;
  is_app_owner: boolean;
  is_nhi_owner: boolean;
};

const actorColumns = sql`
  i.id, i.display_name, i.email, i.status, i.kind,
  (select array_agg(r.role::text order by r.role) from identity_roles r where r.identity_id = i.id) as roles,
  exists (select 1 from identities m where m.manager_id = i.id) as is_manager,
  exists (select 1 from application_owners ao where ao.identity_id = i.id)
    or exists (select 1 from entitlements e where e.owner_id = i.id) as is_app_owner,
  exists (select 1 from identities n where n.owner_id = i.id and n.kind = 'non_human') as is_nhi_owner`;

/** Everything needed to build an Actor, in one query. Called on every request. */
export async function getActorRow(db: Executor, args: { identityId: string }): Promise<ActorRow | null> {
  const rows = await db.execute<ActorRow>(sql`select ${actorColumns} from identities i where i.id = ${args.identityId}`);
  return rows[0] ?? null;
}

export async function getActorRowByEmail(db: Executor, args: { email: string }): Promise<ActorRow | null> {
  const rows = await db.execute<ActorRow>(sql`select ${actorColumns} from identities i where lower(i.email) = lower(${args.email})`);
  return rows[0] ?? null;
}
