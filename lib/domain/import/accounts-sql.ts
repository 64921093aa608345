import type { KindSql } from "./kind-sql";
import { type Assignment, countChanges, insertNew, markChanged, rejectDuplicates, resolveApplication, resolveIdentityReference, run, updateChanged } from "./sql";
import { STAGE } from "./stage";

const assignments: Assignment[] = [
  { column: "username", target: "username", value: "s.username" },
  { column: "external_id", target: "external_id", value: "s.external_id" },
  { column: "identity_external_id", target: "identity_id", value: "s.identity_id" },
  { column: "status", target: "status", value: "s.status::account_status" },
];

/** Accounts are keyed by (application, username), as the unique index is: usernames are what applications list. */
export const accountsSql: KindSql = {
  extraColumns: "application_id uuid, identity_id uuid",

  async resolve(tx, ctx) {
    await rejectDuplicates(tx, { key: "application, lower(username)", column: "username", what: `format('username "%s" in "%s"', username, application)` });
    await resolveApplication(tx);
    await run(tx, `update ${STAGE} s set target_id = a.id, is_new = false from accounts a where a.application_id = s.application_id and lower(a.username) = lower(s.username)`);
    if (ctx.present.has("identity_external_id")) await resolveIdentityReference(tx, { column: "identity_external_id", idColumn: "identity_id" });
  },

  async plan(tx, ctx) {
    await markChanged(tx, { table: "accounts", assignments, present: ctx.present });
    return [await countChanges(tx, "accounts")];
  },

  async apply(tx, ctx) {
    await insertNew(tx, {
      table: "accounts",
      fixed: [
        ["id", "s.target_id"],
        ["application_id", "s.application_id"],
      ],
      assignments,
    });
    // accounts has no updated_at column.
    await updateChanged(tx, { table: "accounts", assignments, present: ctx.present, now: ctx.now, touch: false });
  },
};
