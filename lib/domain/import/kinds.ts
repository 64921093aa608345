import type { ColumnSpec, ImportRow } from "./fields";

export const IMPORT_KINDS = ["identities", "applications", "accounts", "entitlements", "grants"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_FORMATS = ["csv", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Stated in the UI, the CLI and the docs, and enforced before a byte is parsed. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export const HUMAN_TYPES = ["employee", "contractor", "third_party"] as const;
export const IDENTITY_TYPES = [...HUMAN_TYPES, "service_account", "api_key", "token", "workload", "ai_agent"] as const;
const RISK = ["low", "medium", "high", "critical"] as const;

const source = (what: string): ColumnSpec => ({
  name: "source",
  type: "text",
  max: 100,
  fallback: "import",
  description: `Where the ${what} comes from; with external_id it identifies the row on every re-import.`,
  example: "import:hr",
});

const identitySource: ColumnSpec = {
  name: "identity_source",
  type: "text",
  max: 100,
  fallback: "import",
  description: "The source of the identities referenced by *_external_id columns in this row.",
  example: "import:hr",
};

export interface RowProblem {
  column: string;
  message: string;
}

export interface KindDefinition {
  kind: ImportKind;
  /** What one row is, for messages ("3 identities created"). */
  noun: string;
  columns: readonly ColumnSpec[];
  /** Rules that span several columns of one row. */
  check?: (row: ImportRow) => RowProblem[];
}

const identities: KindDefinition = {
  kind: "identities",
  noun: "identity",
  columns: [
    { name: "external_id", type: "text", required: true, max: 200, description: "The identity's id in its source (HR number, directory id).", example: "E1001" },
    source("identity"),
    {
      name: "type",
      type: "enum",
      required: true,
      values: IDENTITY_TYPES,
      description: "Humans: employee, contractor, third_party. Non-human: service_account, api_key, token, workload, ai_agent.",
      example: "employee",
    },
    { name: "display_name", type: "text", required: true, max: 200, description: "The name people see.", example: "Ana Lima" },
    { name: "email", type: "text", max: 320, description: "Unique across Accord; people sign in with it.", example: "ana.lima@example.com" },
    { name: "user_name", type: "text", max: 200, description: "Login name in the directory.", example: "alima" },
    { name: "status", type: "enum", values: ["active", "suspended", "leaver"], fallback: "active", description: "Suspended and leavers cannot sign in; their sessions end.", example: "active" },
    { name: "department", type: "text", max: 200, description: "Department or team.", example: "Finance" },
    { name: "title", type: "text", max: 200, description: "Job title.", example: "Controller" },
    { name: "organization", type: "text", max: 200, description: "Third parties: the company they work for.", example: "" },
    { name: "manager_external_id", type: "text", max: 200, description: "Humans: external_id of their manager, in this file or already imported from the same source.", example: "E1000" },
    {
      name: "owner_external_id",
      type: "text",
      max: 200,
      description: "Non-human identities: external_id of the accountable person, in this file or already imported from the same source.",
      example: "",
    },
    { name: "employee_number", type: "text", max: 100, description: "HR employee number.", example: "1001" },
    { name: "description", type: "text", max: 2000, description: "What a non-human identity is for.", example: "" },
  ],
  check(row) {
    const problems: RowProblem[] = [];
    const human = (HUMAN_TYPES as readonly string[]).includes(String(row.type));
    if (row.type && !human && row.manager_external_id) {
      problems.push({ column: "manager_external_id", message: "non-human identities have an owner (owner_external_id), not a manager" });
    }
    if (row.type && human && row.owner_external_id) {
      problems.push({ column: "owner_external_id", message: "people have a manager (manager_external_id), not an owner" });
    }
    for (const column of ["manager_external_id", "owner_external_id"]) {
      if (row[column] && row[column] === row.external_id) problems.push({ column, message: "an identity cannot reference itself" });
    }
    return problems;
  },
};

const applications: KindDefinition = {
  kind: "applications",
  noun: "application",
  columns: [
    { name: "external_id", type: "text", required: true, max: 200, description: "The application's id in its source (CMDB id).", example: "APP-42" },
    source("application"),
    { name: "name", type: "text", required: true, max: 200, description: "Unique across Accord; other files refer to the application by this name.", example: "Payroll" },
    { name: "description", type: "text", max: 2000, description: "What the application does.", example: "Salary runs and payslips" },
    { name: "risk_tier", type: "enum", values: RISK, fallback: "medium", description: "How much harm misuse can do.", example: "high" },
    { name: "connector_kind", type: "enum", values: ["scim", "webhook", "manual", "none"], fallback: "manual", description: "How revocations reach the application.", example: "manual" },
    { name: "revocation_sla_hours", type: "integer", min: 1, fallback: "24", description: "Hours a revocation may take before it is a finding.", example: "24" },
    {
      name: "owner_external_ids",
      type: "list",
      max: 200,
      description: "The application owners: external_ids of people, separated by semicolons. Replaces the current owners.",
      example: "E1000;E1001",
    },
    identitySource,
  ],
};

const accounts: KindDefinition = {
  kind: "accounts",
  noun: "account",
  columns: [
    { name: "application", type: "text", required: true, max: 200, description: "Name of an application already in Accord.", example: "Payroll" },
    { name: "username", type: "text", required: true, max: 200, description: "The account's login in the application (unique per application, case-insensitive).", example: "alima" },
    { name: "external_id", type: "text", max: 200, description: "The account's id in the application.", example: "u-1001" },
    { name: "identity_external_id", type: "text", max: 200, description: "Whose account it is; blank = an orphan account.", example: "E1001" },
    identitySource,
    { name: "status", type: "enum", values: ["active", "disabled", "deleted"], fallback: "active", description: "The account's state in the application.", example: "active" },
  ],
};

const entitlements: KindDefinition = {
  kind: "entitlements",
  noun: "entitlement",
  columns: [
    { name: "application", type: "text", required: true, max: 200, description: "Name of an application already in Accord.", example: "Payroll" },
    { name: "name", type: "text", required: true, max: 200, description: "Unique within the application.", example: "payroll-admin" },
    { name: "external_id", type: "text", max: 200, description: "The role's or group's id in the application.", example: "grp-778" },
    { name: "kind", type: "enum", values: ["role", "group", "permission", "policy"], fallback: "role", description: "What sort of entitlement it is.", example: "role" },
    { name: "description", type: "text", max: 2000, description: "What it lets someone do, in words a reviewer understands.", example: "Approve and run salary payments" },
    { name: "privileged", type: "boolean", fallback: "false", description: "Privileged access: counted as standing privilege, reviewed more strictly.", example: "true" },
    { name: "risk_level", type: "enum", values: RISK, fallback: "low", description: "Risk of the entitlement.", example: "high" },
    { name: "owner_external_id", type: "text", max: 200, description: "external_id of the person who owns the entitlement.", example: "E1000" },
    identitySource,
    { name: "break_glass", type: "boolean", fallback: "false", description: "An emergency entitlement: activations skip approval and are always reviewed.", example: "false" },
    { name: "max_duration_minutes", type: "integer", min: 1, description: "Longest time-bound or JIT grant allowed; blank = no limit.", example: "480" },
  ],
};

const grants: KindDefinition = {
  kind: "grants",
  noun: "grant",
  columns: [
    { name: "identity_external_id", type: "text", required: true, max: 200, description: "Who holds the access.", example: "E1001" },
    identitySource,
    { name: "application", type: "text", required: true, max: 200, description: "Name of an application already in Accord.", example: "Payroll" },
    { name: "entitlement", type: "text", required: true, max: 200, description: "Name of an entitlement of that application.", example: "payroll-admin" },
    {
      name: "kind",
      type: "enum",
      values: ["standing", "time_bound", "eligible"],
      fallback: "standing",
      description: "standing (always on), time_bound (until expires_at) or eligible (JIT).",
      example: "standing",
    },
    { name: "account_username", type: "text", max: 200, description: "The account in the application that carries the access.", example: "alima" },
    {
      name: "granted_at",
      type: "datetime",
      blank: "keeps the current value (new grants: the import time)",
      description: "When the access was given (ISO 8601; no offset = UTC).",
      example: "2025-01-15T09:00:00Z",
    },
    { name: "expires_at", type: "datetime", description: "Required for time_bound; not allowed for standing.", example: "" },
    { name: "justification", type: "text", max: 2000, description: "Why the identity holds it.", example: "Runs the monthly payroll" },
    { name: "ticket", type: "text", max: 200, description: "Change or request ticket.", example: "CHG-1234" },
    { name: "external_id", type: "text", max: 200, description: "The grant's id in the application.", example: "" },
  ],
  check(row) {
    const problems: RowProblem[] = [];
    if (row.kind === "time_bound" && !row.expires_at) problems.push({ column: "expires_at", message: "is required for a time_bound grant" });
    if (row.kind === "standing" && row.expires_at) {
      problems.push({ column: "expires_at", message: "standing grants do not expire; use kind time_bound for access that ends" });
    }
    if (row.expires_at instanceof Date && row.granted_at instanceof Date && row.expires_at <= row.granted_at) {
      problems.push({ column: "expires_at", message: "must be after granted_at" });
    }
    return problems;
  },
};

export const KINDS: Record<ImportKind, KindDefinition> = { identities, applications, accounts, entitlements, grants };

export const isImportKind = (value: string): value is ImportKind => (IMPORT_KINDS as readonly string[]).includes(value);

/** The columns of a kind in file order, and the ones a file must have. */
export const columnNames = (kind: ImportKind) => KINDS[kind].columns.map((c) => c.name);
export const requiredColumns = (kind: ImportKind) => KINDS[kind].columns.filter((c) => c.required).map((c) => c.name);
