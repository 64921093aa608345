import { sql } from "drizzle-orm";
import type { KindSql } from "./kind-sql";
import { type Assignment, countChanges, insertNew, markChanged, rejectDuplicates, resolveApplication, resolveIdentityReference, rowErrors, run, updateChanged } from "./sql";
import { STAGE } from "./stage";

const assignments: Assignment[] = [
  { column: "account_username", target: "account_id", value: "s.account_id" },
  // A blank granted_at keeps the known date: re-importing must not make old access look new.
  { column: "granted_at", target: "granted_at", value: "coalesce(s.granted_at, t.granted_at)", insertValue: "coalesce(s.granted_at, now())" },
  { column: "expires_at", target: "expires_at", value: "s.expires_at" },
  { column: "justification", target: "justification", value: "s.justification" },
  { column: "ticket", target: "ticket", value: "s.ticket" },
  { column: "external_id", target: "external_id", value: "s.external_id" },
];

/**
 * Grants are keyed by (identity, entitlement, kind) among live grants, which is what the
 * database allows once. Only grants that came from an import are updated: a grant that came
 * through a request keeps its approval facts and counts as unchanged.
 */
export const grantsSql: KindSql = {
  extraColumns: "application_id uuid, entitlement_id uuid, identity_id uuid, account_id uuid, target_source text",

  async resolve(tx, ctx) {
    await rejectDuplicates(tx, {
      key: "identity_source, identity_external_id, application, entitlement, kind",
      column: "entitlement",
      what: `format('%s grant of "%s" in "%s" to "%s"', kind, entitlement, application, identity_external_id)`,
    });
    await resolveApplication(tx);
    if (ctx.snapshotApplicationId) {
      await run(
        tx,
        sql`insert into import_errors (row_no, col, message)
            select s.row_no, 'application', format('this file is a snapshot of "%s"; every row must be one of its grants', a.name)
            from ${sql.raw(STAGE)} s, applications a where a.id = ${ctx.snapshotApplicationId} and s.application_id is distinct from a.id and s.application_id is not null`,
      );
    }
    await run(tx, `update ${STAGE} s set entitlement_id = e.id from entitlements e where e.application_id = s.application_id and e.name = s.entitlement`);
    await rowErrors(
      tx,
      "entitlement",
      `format('no entitlement named "%s" in "%s"; import it first (entitlements file)', s.entitlement, s.application)`,
      "s.application_id is not null and s.entitlement_id is null",
    );
    await resolveIdentityReference(tx, { column: "identity_external_id", idColumn: "identity_id" });
    if (ctx.present.has("account_username")) {
      await run(tx, `update ${STAGE} s set account_id = a.id from accounts a where a.application_id = s.application_id and lower(a.username) = lower(s.account_username)`);
      await rowErrors(
        tx,
        "account_username",
        `format('no account "%s" in "%s"; import it first (accounts file)', s.account_username, s.application)`,
        "s.application_id is not null and s.account_username is not null and s.account_id is null",
      );
    }
    await run(
      tx,
      `update ${STAGE} s set target_id = g.id, is_new = false, target_source = g.source::text from grants g
       where g.identity_id = s.identity_id and g.entitlement_id = s.entitlement_id and g.kind = s.kind::grant_kind
         and g.status in ('active', 'pending_revocation')`,
    );
  },

  async plan(tx, ctx) {
    await markChanged(tx, { table: "grants", assignments, present: ctx.present, where: "s.target_source = 'import'" });
    return [await countChanges(tx, "grants")];
  },

  async apply(tx, ctx) {
    await insertNew(tx, {
      table: "grants",
      fixed: [
        ["id", "s.target_id"],
        ["identity_id", "s.identity_id"],
        ["entitlement_id", "s.entitlement_id"],
        ["kind", "s.kind::grant_kind"],
        ["source", "'import'"],
        ["status", "'active'"],
      ],
      assignments,
    });
    await updateChanged(tx, { table: "grants", assignments, present: ctx.present, now: ctx.now });
  },
};
