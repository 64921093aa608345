import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { KindSql } from "./kind-sql";
import { type Assignment, at, countChanges, insertNew, lit, markChanged, rejectDuplicates, rowErrors, run, updateChanged } from "./sql";
import { STAGE } from "./stage";

const HUMAN = "('employee', 'contractor', 'third_party')";

const assignments: Assignment[] = [
  { column: "type", target: "type", value: "s.type::identity_type" },
  { column: "type", target: "kind", value: "s.kind::identity_kind" },
  { column: "display_name", target: "display_name", value: "s.display_name" },
  { column: "email", target: "email", value: "s.email" },
  { column: "user_name", target: "user_name", value: "s.user_name" },
  { column: "status", target: "status", value: "s.status::identity_status" },
  { column: "department", target: "department", value: "s.department" },
  { column: "title", target: "title", value: "s.title" },
  { column: "organization", target: "organization", value: "s.organization" },
  { column: "manager_external_id", target: "manager_id", value: "s.manager_id" },
  { column: "owner_external_id", target: "owner_id", value: "s.owner_id" },
  { column: "employee_number", target: "employee_number", value: "s.employee_number" },
  { column: "description", target: "description", value: "s.description" },
];

/**
 * A manager or owner may be another row of the same file (not yet in the database) or an
 * identity already imported from the same source; the file wins because it is the newer fact.
 */
async function resolvePerson(tx: Tx, column: "manager_external_id" | "owner_external_id", role: string) {
  const id = column === "manager_external_id" ? "manager_id" : "owner_id";
  await run(
    tx,
    `update ${STAGE} s set ${id} = r.id, ${id}_kind = r.kind from (
       select x.row_no, coalesce(m.target_id, i.id) as id, coalesce(m.kind, i.kind::text) as kind
       from ${STAGE} x
       left join ${STAGE} m on m.source = x.source and m.external_id = x.${column}
       left join identities i on i.source = x.source and i.external_id = x.${column}
       where x.${column} is not null) r
     where r.row_no = s.row_no`,
  );
  await rowErrors(tx, column, `format('no identity with external_id "%s" in this file or already imported from source "%s"', s.${column}, s.source)`, `s.${column} is not null and s.${id} is null`);
  await rowErrors(tx, column, `format('"%s" is a non-human identity; the ${role} must be a person', s.${column})`, `s.${id}_kind = 'non_human'`);
}

export const identitiesSql: KindSql = {
  extraColumns: `kind text generated always as (case when type in ${HUMAN} then 'human' else 'non_human' end) stored, manager_id uuid, manager_id_kind text, owner_id uuid, owner_id_kind text, old_status text, old_department text, old_title text, old_manager_id uuid`,

  async resolve(tx, ctx) {
    await rejectDuplicates(tx, { key: "source, external_id", column: "external_id", what: `format('external_id "%s" (source "%s")', external_id, source)` });
    await run(tx, `create index on ${STAGE} (source, external_id)`);
    await run(
      tx,
      `update ${STAGE} s set target_id = i.id, is_new = false, old_status = i.status, old_department = i.department, old_title = i.title, old_manager_id = i.manager_id
       from identities i where i.source = s.source and i.external_id = s.external_id`,
    );
    if (ctx.present.has("email")) {
      await rejectDuplicates(tx, { key: "lower(email)", column: "email", what: `format('email "%s"', email)`, drop: false, where: "email is not null" });
      // Emails are unique across all sources: a person is one identity, whatever fed it.
      await rowErrors(
        tx,
        "email",
        `(select format('email "%s" already belongs to %s (source "%s", external_id "%s")', s.email, i.display_name, i.source, coalesce(i.external_id, '')) from identities i where lower(i.email) = lower(s.email))`,
        `s.email is not null and exists (select 1 from identities i where lower(i.email) = lower(s.email) and i.id <> s.target_id)`,
      );
    }
    if (ctx.actorIdentityId && ctx.present.has("status")) {
      await rowErrors(tx, "status", `'this is you: nobody changes their own status (it could lock the last admin out)'`, `s.target_id = ${lit(ctx.actorIdentityId)}::uuid and s.status <> 'active'`);
    }
    if (ctx.present.has("manager_external_id")) await resolvePerson(tx, "manager_external_id", "manager");
    if (ctx.present.has("owner_external_id")) await resolvePerson(tx, "owner_external_id", "owner");
  },

  async plan(tx, ctx) {
    await markChanged(tx, { table: "identities", assignments, present: ctx.present });
    return [await countChanges(tx, "identities")];
  },

  async apply(tx, ctx) {
    // One statement for all new rows: foreign keys between them are checked at its end.
    await insertNew(tx, {
      table: "identities",
      fixed: [
        ["id", "s.target_id"],
        ["source", "s.source"],
        ["external_id", "s.external_id"],
      ],
      assignments,
    });
    await updateChanged(tx, { table: "identities", assignments, present: ctx.present, now: ctx.now });
    await recordLifecycle(tx, ctx.present, ctx.now);
    if (ctx.present.has("status")) {
      // Like an admin's suspension: whoever is no longer active is signed out now.
      await run(tx, `delete from auth_sessions a using ${STAGE} s where a.identity_id = s.target_id and s.changed and s.status <> 'active'`);
    }
  },
};

/** Joiners, leavers, suspensions and movers, as the lifecycle events SCIM and admins write. */
async function recordLifecycle(tx: Tx, present: ReadonlySet<string>, now: Date) {
  const change = (column: string, from: string, to: string) => (present.has(column) ? `case when ${from} is distinct from ${to} then jsonb_build_object('from', ${from}, 'to', ${to}) end` : "null");
  await run(
    tx,
    sql`insert into lifecycle_events (identity_id, kind, source, changes, occurred_at)
        select s.target_id, 'joiner', 'import', '{}'::jsonb, ${at(now)} from ${sql.raw(STAGE)} s where s.is_new and s.kind = 'human'`,
  );
  if (present.has("status")) {
    await run(
      tx,
      sql`insert into lifecycle_events (identity_id, kind, source, changes, occurred_at)
          select s.target_id, (case s.status when 'leaver' then 'leaver' when 'suspended' then 'suspension' else 'reactivation' end)::lifecycle_kind,
                 'import', jsonb_build_object('status', jsonb_build_object('from', s.old_status, 'to', s.status)), ${at(now)}
          from ${sql.raw(STAGE)} s where s.changed and s.old_status is distinct from s.status`,
    );
  }
  const moves = [change("department", "s.old_department", "s.department"), change("title", "s.old_title", "s.title"), change("manager_external_id", "s.old_manager_id::text", "s.manager_id::text")];
  if (moves.every((m) => m === "null")) return;
  await run(
    tx,
    sql`insert into lifecycle_events (identity_id, kind, source, changes, occurred_at)
        select target_id, 'mover', 'import', changes, ${at(now)} from (
          select s.target_id, jsonb_strip_nulls(jsonb_build_object('department', ${sql.raw(moves[0]!)}, 'title', ${sql.raw(moves[1]!)}, 'manager', ${sql.raw(moves[2]!)})) as changes
          from ${sql.raw(STAGE)} s where s.changed and s.kind = 'human') m
        where changes <> '{}'::jsonb`,
  );
}
