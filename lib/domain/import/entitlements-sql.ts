import type { KindSql } from "./kind-sql";
import { type Assignment, countChanges, insertNew, markChanged, rejectDuplicates, resolveApplication, resolveIdentityReference, run, updateChanged } from "./sql";
import { STAGE } from "./stage";

const assignments: Assignment[] = [
  { column: "external_id", target: "external_id", value: "s.external_id" },
  { column: "kind", target: "kind", value: "s.kind::entitlement_kind" },
  { column: "description", target: "description", value: "s.description" },
  { column: "privileged", target: "privileged", value: "s.privileged" },
  { column: "risk_level", target: "risk_level", value: "s.risk_level::risk_level" },
  { column: "owner_external_id", target: "owner_id", value: "s.owner_id" },
  { column: "break_glass", target: "break_glass", value: "s.break_glass" },
  { column: "max_duration_minutes", target: "max_duration_minutes", value: "s.max_duration_minutes" },
];

/** Entitlements are keyed by (application, name), as the unique index is. */
export const entitlementsSql: KindSql = {
  extraColumns: "application_id uuid, owner_id uuid",

  async resolve(tx, ctx) {
    await rejectDuplicates(tx, { key: "application, name", column: "name", what: `format('entitlement "%s" of "%s"', name, application)` });
    await resolveApplication(tx);
    await run(tx, `update ${STAGE} s set target_id = e.id, is_new = false from entitlements e where e.application_id = s.application_id and e.name = s.name`);
    if (ctx.present.has("owner_external_id")) {
      await resolveIdentityReference(tx, { column: "owner_external_id", idColumn: "owner_id", human: true, role: "owner" });
    }
  },

  async plan(tx, ctx) {
    await markChanged(tx, { table: "entitlements", assignments, present: ctx.present });
    return [await countChanges(tx, "entitlements")];
  },

  async apply(tx, ctx) {
    await insertNew(tx, {
      table: "entitlements",
      fixed: [
        ["id", "s.target_id"],
        ["application_id", "s.application_id"],
        ["name", "s.name"],
      ],
      assignments,
    });
    await updateChanged(tx, { table: "entitlements", assignments, present: ctx.present, now: ctx.now });
  },
};
