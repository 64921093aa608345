import type { Tx } from "@/db/client";
import { accountsSql } from "./accounts-sql";
import { applicationsSql } from "./applications-sql";
import { entitlementsSql } from "./entitlements-sql";
import { grantsSql } from "./grants-sql";
import { identitiesSql } from "./identities-sql";
import type { ImportKind } from "./kinds";
import type { EntityCount, ImportContext } from "./sql";

/** How one kind is resolved, previewed and written, all in set-based SQL over the staging table. */
export interface KindSql {
  /** Columns the staging table needs beyond the file's, filled in by resolve. */
  extraColumns: string;
  /** Finds each row's target and references; every problem goes to import_errors. */
  resolve(tx: Tx, ctx: ImportContext): Promise<void>;
  /** Marks what would change and counts creates, updates and unchanged rows (the preview). */
  plan(tx: Tx, ctx: ImportContext): Promise<EntityCount[]>;
  /** Writes the plan. Only called when resolve found no problem. */
  apply(tx: Tx, ctx: ImportContext): Promise<void>;
}

export const KIND_SQL: Record<ImportKind, KindSql> = {
  identities: identitiesSql,
  applications: applicationsSql,
  accounts: accountsSql,
  entitlements: entitlementsSql,
  grants: grantsSql,
};
