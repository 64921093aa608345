import type { Tx } from "@/db/client";
import type { KindSql } from "./kind-sql";
import { type Assignment, countChanges, insertNew, markChanged, rejectDuplicates, rowErrors, run, updateChanged } from "./sql";
import { STAGE } from "./stage";

const OWNERS = "import_owners";

const assignments: Assignment[] = [
  { column: "name", target: "name", value: "s.name" },
  { column: "description", target: "description", value: "s.description" },
  { column: "risk_tier", target: "risk_tier", value: "s.risk_tier::risk_level" },
  { column: "connector_kind", target: "connector_kind", value: "s.connector_kind::connector_kind" },
  { column: "revocation_sla_hours", target: "revocation_sla_hours", value: "s.revocation_sla_hours" },
];

/** One row per (application row, owner) from the semicolon-separated owner_external_ids cell. */
async function resolveOwners(tx: Tx) {
  await run(
    tx,
    `create temp table ${OWNERS} on commit drop as
     select s.row_no, s.target_id as application_id, o.external_id, i.id as identity_id, i.kind::text as identity_kind
     from ${STAGE} s
     cross join lateral unnest(string_to_array(s.owner_external_ids, ';')) as o(external_id)
     left join identities i on i.source = s.identity_source and i.external_id = o.external_id`,
  );
  await run(
    tx,
    `insert into import_errors (row_no, col, message)
     select o.row_no, 'owner_external_ids', case when o.identity_id is null
       then format('no identity with external_id "%s" from source "%s" in Accord', o.external_id, s.identity_source)
       else format('"%s" is a non-human identity; application owners must be people', o.external_id) end
     from ${OWNERS} o join ${STAGE} s using (row_no) where o.identity_id is null or o.identity_kind <> 'human'`,
  );
}

export const applicationsSql: KindSql = {
  extraColumns: "owners_changed boolean not null default false",

  async resolve(tx, ctx) {
    await rejectDuplicates(tx, { key: "source, external_id", column: "external_id", what: `format('external_id "%s" (source "%s")', external_id, source)` });
    await rejectDuplicates(tx, { key: "name", column: "name", what: `format('the name "%s"', name)`, drop: false });
    await run(tx, `update ${STAGE} s set target_id = a.id, is_new = false from applications a where a.source = s.source and a.external_id = s.external_id`);
    // Names are unique across Accord because every other file refers to applications by name.
    await rowErrors(
      tx,
      "name",
      `(select format('an application named "%s" already exists (source "%s", external_id "%s")', a.name, a.source, coalesce(a.external_id, '')) from applications a where a.name = s.name)`,
      `exists (select 1 from applications a where a.name = s.name and a.id <> s.target_id)`,
    );
    if (ctx.present.has("owner_external_ids")) await resolveOwners(tx);
  },

  async plan(tx, ctx) {
    await markChanged(tx, { table: "applications", assignments, present: ctx.present });
    if (ctx.present.has("owner_external_ids")) {
      await run(
        tx,
        `update ${STAGE} s set owners_changed = true, changed = not s.is_new
         where coalesce((select array_agg(distinct o.identity_id order by o.identity_id) from ${OWNERS} o where o.row_no = s.row_no), '{}')
               is distinct from
               coalesce((select array_agg(ao.identity_id order by ao.identity_id) from application_owners ao where ao.application_id = s.target_id), '{}')`,
      );
    }
    return [await countChanges(tx, "applications")];
  },

  async apply(tx, ctx) {
    await insertNew(tx, {
      table: "applications",
      fixed: [
        ["id", "s.target_id"],
        ["source", "s.source"],
        ["external_id", "s.external_id"],
      ],
      assignments,
    });
    await updateChanged(tx, { table: "applications", assignments, present: ctx.present, now: ctx.now });
    if (!ctx.present.has("owner_external_ids")) return;
    // The file's list replaces the owners: remove those it no longer names, add the new ones.
    await run(
      tx,
      `delete from application_owners ao using ${STAGE} s
       where ao.application_id = s.target_id and s.owners_changed
         and not exists (select 1 from ${OWNERS} o where o.row_no = s.row_no and o.identity_id = ao.identity_id)`,
    );
    await run(
      tx,
      `insert into application_owners (application_id, identity_id)
       select distinct o.application_id, o.identity_id from ${OWNERS} o join ${STAGE} s using (row_no) where s.owners_changed
       on conflict do nothing`,
    );
  },
};
