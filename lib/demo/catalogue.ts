/**
 * The demo company's application catalogue: real-looking systems with entitlements whose
 * descriptions say what the access lets someone do, since that sentence is what a reviewer
 * decides on. Weights steer who tends to hold what; they are not probabilities.
 */

export type Risk = "low" | "medium" | "high" | "critical";
export type Connector = "scim" | "webhook" | "manual";
/** Decides what sessions and usage events against the application look like. */
export type AppFamily = "aws" | "k8s" | "db" | "vault" | "teleport" | "code" | "saas";

export interface CatalogueEntitlement {
  name: string;
  kind: "role" | "group" | "permission" | "policy";
  description: string;
  risk: Risk;
  privileged?: boolean;
  breakGlass?: boolean;
  maxMinutes?: number;
  /** How common the entitlement is among the application's users (default 1). */
  weight?: number;
}

export interface CatalogueApp {
  name: string;
  description: string;
  risk: Risk;
  connector: Connector;
  family: AppFamily;
  /** Relative number of people in the application. */
  popularity: number;
  /** Department name -> affinity; "*" applies to departments not listed. */
  affinity: Readonly<Record<string, number>>;
  /** Affinity of non-human identities (service accounts, workloads, agents). */
  nhi: number;
  /** Department whose managers own the application when no owner is pinned. */
  ownerDepartment: string;
  entitlements: readonly CatalogueEntitlement[];
}

const ENG = { Engineering: 1, Security: 0.6, IT: 0.3, "*": 0 };
const ALL = { "*": 1 };

export const CATALOGUE: readonly CatalogueApp[] = [
  {
    name: "AWS production",
    description: "The production AWS organisation (payments, checkout, data platform).",
    risk: "critical",
    connector: "webhook",
    family: "aws",
    popularity: 3,
    affinity: ENG,
    nhi: 3,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "ReadOnlyAccess", kind: "role", risk: "medium", weight: 5, description: "Read-only console and API access to every production AWS account; cannot change anything." },
      {
        name: "PowerUserAccess",
        kind: "role",
        risk: "high",
        privileged: true,
        maxMinutes: 480,
        description: "Create, change and delete most production resources (EC2, S3, RDS, Lambda) but not IAM users or roles.",
      },
      {
        name: "AdministratorAccess",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 240,
        weight: 0.6,
        description: "Full control of every production AWS account, including IAM, networking and billing.",
      },
      {
        name: "IAMAdministrator",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.2,
        description: "Create and change IAM users, roles and policies in production; can grant any other access.",
      },
      {
        name: "CloudTrailAdministrator",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.15,
        description: "Change or stop CloudTrail audit logging in production, which can hide other activity.",
      },
      { name: "SecurityAudit", kind: "policy", risk: "low", weight: 0.6, description: "Read security configuration and CloudTrail logs across production accounts for audits." },
      {
        name: "break-glass root",
        kind: "role",
        risk: "critical",
        privileged: true,
        breakGlass: true,
        maxMinutes: 60,
        weight: 0.1,
        description: "Emergency root-equivalent access for production incidents when SSO is unavailable; every use is reviewed.",
      },
    ],
  },
  {
    name: "AWS staging",
    description: "Pre-production AWS accounts used for integration testing.",
    risk: "medium",
    connector: "webhook",
    family: "aws",
    popularity: 2.5,
    affinity: ENG,
    nhi: 2,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "DeveloperAccess", kind: "role", risk: "medium", weight: 5, description: "Deploy and change application resources in staging accounts." },
      { name: "ReadOnlyAccess", kind: "role", risk: "low", weight: 2, description: "Read-only access to staging accounts." },
      { name: "AdministratorAccess", kind: "role", risk: "high", privileged: true, maxMinutes: 480, description: "Full control of staging accounts, including IAM." },
    ],
  },
  {
    name: "Kubernetes prod cluster",
    description: "The production EKS clusters (prod-eu-1, prod-us-1) running customer-facing services.",
    risk: "critical",
    connector: "webhook",
    family: "k8s",
    popularity: 2,
    affinity: ENG,
    nhi: 3,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "view", kind: "group", risk: "medium", weight: 4, description: "Read pods, logs and configuration in production namespaces; cannot read secrets." },
      { name: "namespace-edit", kind: "group", risk: "high", privileged: true, maxMinutes: 480, description: "Deploy, scale and restart workloads in application namespaces." },
      {
        name: "namespace-admin",
        kind: "group",
        risk: "high",
        privileged: true,
        maxMinutes: 480,
        weight: 0.6,
        description: "Everything in namespace-edit plus reading secrets and changing RBAC inside a namespace.",
      },
      {
        name: "cluster-admin",
        kind: "group",
        risk: "critical",
        privileged: true,
        maxMinutes: 240,
        weight: 0.25,
        description: "Unrestricted control of the production clusters, including every namespace's secrets.",
      },
      {
        name: "break-glass cluster-admin",
        kind: "group",
        risk: "critical",
        privileged: true,
        breakGlass: true,
        maxMinutes: 60,
        weight: 0.08,
        description: "Emergency cluster-admin through a local account when SSO is down; every use is reviewed.",
      },
    ],
  },
  {
    name: "Kubernetes staging cluster",
    description: "The staging EKS cluster.",
    risk: "medium",
    connector: "webhook",
    family: "k8s",
    popularity: 1.5,
    affinity: ENG,
    nhi: 2,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "view", kind: "group", risk: "low", weight: 2, description: "Read pods, logs and configuration in staging namespaces." },
      { name: "developer", kind: "group", risk: "medium", weight: 4, description: "Deploy and debug workloads in staging namespaces." },
      { name: "cluster-admin", kind: "group", risk: "high", privileged: true, maxMinutes: 480, description: "Unrestricted control of the staging cluster." },
    ],
  },
  {
    name: "Postgres prod",
    description: "Production PostgreSQL clusters holding customer, order and billing data.",
    risk: "critical",
    connector: "manual",
    family: "db",
    popularity: 1.2,
    affinity: { Engineering: 1, Support: 0.15, Security: 0.3, "*": 0 },
    nhi: 3,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "app_readonly", kind: "role", risk: "high", weight: 4, description: "Read production tables, including customer personal data and order history." },
      { name: "app_readwrite", kind: "role", risk: "high", privileged: true, maxMinutes: 240, description: "Insert, update and delete rows in production tables; changes are not reviewed." },
      {
        name: "superuser",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.2,
        description: "PostgreSQL superuser: bypasses row security, reads every table, can drop databases.",
      },
      { name: "replication", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.15, description: "Stream the full write-ahead log, i.e. a copy of every change to every table." },
    ],
  },
  {
    name: "GitHub",
    description: "Source code, CI workflows and release pipelines.",
    risk: "high",
    connector: "scim",
    family: "code",
    popularity: 3,
    affinity: { Engineering: 1, Security: 0.8, IT: 0.4, "*": 0.03 },
    nhi: 2,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "Member", kind: "group", risk: "low", weight: 8, description: "Read and clone internal repositories; open pull requests." },
      { name: "Maintainer (platform repos)", kind: "group", risk: "medium", weight: 1.5, description: "Merge to protected branches of the platform repositories, which deploy to production." },
      {
        name: "Actions secrets admin",
        kind: "permission",
        risk: "high",
        privileged: true,
        maxMinutes: 480,
        weight: 0.3,
        description: "Read and replace CI secrets, including production deploy credentials.",
      },
      { name: "Owner", kind: "role", risk: "critical", privileged: true, maxMinutes: 240, weight: 0.1, description: "Organisation owner: manage members, branch protection, secrets and billing." },
    ],
  },
  {
    name: "Okta admin",
    description: "The company identity provider's admin console.",
    risk: "critical",
    connector: "scim",
    family: "saas",
    popularity: 0.4,
    affinity: { IT: 1, Security: 0.8, "*": 0 },
    nhi: 0.3,
    ownerDepartment: "IT",
    entitlements: [
      { name: "Read-only administrator", kind: "role", risk: "medium", weight: 2, description: "View users, groups, apps and the system log; cannot change anything." },
      {
        name: "Help desk administrator",
        kind: "role",
        risk: "high",
        privileged: true,
        maxMinutes: 480,
        weight: 1.5,
        description: "Reset passwords and MFA factors of non-admin users, which can take over their accounts.",
      },
      { name: "Application administrator", kind: "role", risk: "high", privileged: true, maxMinutes: 480, description: "Add and configure SSO applications and their assignments." },
      {
        name: "Super administrator",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.2,
        description: "Full control of the identity provider: every user, application, policy and admin role.",
      },
    ],
  },
  {
    name: "Google Workspace admin",
    description: "Email, calendar and documents for every employee.",
    risk: "high",
    connector: "scim",
    family: "saas",
    popularity: 4,
    affinity: ALL,
    nhi: 0.2,
    ownerDepartment: "IT",
    entitlements: [
      { name: "User", kind: "group", risk: "low", weight: 20, description: "A company Google account: Gmail, Drive and Calendar." },
      {
        name: "Groups administrator",
        kind: "role",
        risk: "medium",
        privileged: true,
        maxMinutes: 480,
        weight: 0.05,
        description: "Create groups and change their membership, including groups that grant access elsewhere.",
      },
      {
        name: "Super admin",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.02,
        description: "Full control of Google Workspace, including reading any user's mail and files.",
      },
    ],
  },
  {
    name: "Slack admin",
    description: "Company chat.",
    risk: "medium",
    connector: "scim",
    family: "saas",
    popularity: 4,
    affinity: ALL,
    nhi: 0.5,
    ownerDepartment: "IT",
    entitlements: [
      { name: "Member", kind: "group", risk: "low", weight: 20, description: "Use Slack: public channels, private channels they are invited to, direct messages." },
      { name: "Workspace admin", kind: "role", risk: "medium", privileged: true, maxMinutes: 480, weight: 0.05, description: "Manage members, channels and installed apps." },
      { name: "Workspace owner", kind: "role", risk: "high", privileged: true, maxMinutes: 240, weight: 0.02, description: "Export all messages, including private channels and direct messages." },
    ],
  },
  {
    name: "Salesforce",
    description: "CRM: accounts, opportunities and customer contacts.",
    risk: "high",
    connector: "scim",
    family: "saas",
    popularity: 1.5,
    affinity: { Sales: 1, Support: 0.4, Marketing: 0.4, Finance: 0.2, "*": 0.01 },
    nhi: 0.5,
    ownerDepartment: "Sales",
    entitlements: [
      { name: "Sales user", kind: "role", risk: "medium", weight: 6, description: "View and edit accounts, contacts and opportunities they own." },
      { name: "Sales operations", kind: "role", risk: "medium", weight: 1, description: "Change territories, pipeline stages and validation rules." },
      { name: "Report exporter", kind: "permission", risk: "high", weight: 0.8, description: "Export reports, including customer contact data, to spreadsheets." },
      {
        name: "System administrator",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 240,
        weight: 0.1,
        description: "Full control of Salesforce: users, profiles, data export and integrations.",
      },
    ],
  },
  {
    name: "NetSuite",
    description: "General ledger, accounts payable and financial close.",
    risk: "high",
    connector: "manual",
    family: "saas",
    popularity: 0.8,
    affinity: { Finance: 1, "Internal Audit": 0.8, "*": 0 },
    nhi: 0.3,
    ownerDepartment: "Finance",
    entitlements: [
      { name: "Read-only", kind: "role", risk: "low", weight: 3, description: "View ledgers, vendor bills and financial reports." },
      { name: "AP clerk", kind: "role", risk: "medium", weight: 2, description: "Create vendors and enter vendor bills for payment." },
      { name: "AP approver", kind: "role", risk: "high", privileged: true, maxMinutes: 480, description: "Approve vendor bills and release payment runs." },
      { name: "Controller", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.4, description: "Post journal entries and open or close accounting periods." },
      { name: "Auditor (read-only)", kind: "role", risk: "low", weight: 0.3, description: "Read everything, including audit trails, for internal and external audit." },
      { name: "Administrator", kind: "role", risk: "critical", privileged: true, maxMinutes: 120, weight: 0.1, description: "Full control of NetSuite, including roles and approval workflows." },
    ],
  },
  {
    name: "Workday",
    description: "HR system of record: workers, compensation and payroll.",
    risk: "high",
    connector: "scim",
    family: "saas",
    popularity: 4,
    affinity: ALL,
    nhi: 0.2,
    ownerDepartment: "HR",
    entitlements: [
      { name: "Employee self-service", kind: "role", risk: "low", weight: 20, description: "See and update their own profile, time off and payslips." },
      { name: "HR partner", kind: "role", risk: "high", weight: 0.15, description: "View and change worker records, including personal data, for their organisation." },
      { name: "Payroll administrator", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.08, description: "Run payroll and change bank details of employees." },
      { name: "Compensation approver", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.08, description: "Approve salary changes and bonuses." },
      { name: "Security administrator", kind: "role", risk: "critical", privileged: true, maxMinutes: 120, weight: 0.02, description: "Change Workday security groups and who can see compensation." },
    ],
  },
  {
    name: "Snowflake",
    description: "Analytics warehouse with product, billing and customer data.",
    risk: "high",
    connector: "webhook",
    family: "db",
    popularity: 1.2,
    affinity: { Engineering: 0.6, Finance: 0.5, Marketing: 0.4, Sales: 0.2, "*": 0.02 },
    nhi: 2,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "ANALYST", kind: "role", risk: "medium", weight: 5, description: "Query curated analytics schemas; personal data is masked." },
      { name: "PII_READER", kind: "role", risk: "high", weight: 0.5, description: "Query raw tables with unmasked customer personal data." },
      { name: "SYSADMIN", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.3, description: "Create and drop databases, warehouses and schemas." },
      {
        name: "ACCOUNTADMIN",
        kind: "role",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.08,
        description: "Full control of the Snowflake account, including users, roles and billing.",
      },
    ],
  },
  {
    name: "Datadog",
    description: "Monitoring, logs and APM.",
    risk: "medium",
    connector: "scim",
    family: "saas",
    popularity: 2,
    affinity: { Engineering: 1, Support: 0.4, Security: 0.6, IT: 0.3, "*": 0 },
    nhi: 1.5,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "Datadog Read Only", kind: "role", risk: "low", weight: 3, description: "View dashboards, logs and traces." },
      { name: "Datadog Standard", kind: "role", risk: "medium", weight: 4, description: "Create dashboards and monitors; logs may contain customer data." },
      { name: "Datadog Admin", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.2, description: "Manage users, API keys, log pipelines and retention." },
    ],
  },
  {
    name: "PagerDuty",
    description: "On-call schedules and incident paging.",
    risk: "low",
    connector: "scim",
    family: "saas",
    popularity: 1.5,
    affinity: { Engineering: 1, Security: 0.8, IT: 0.6, Support: 0.3, "*": 0 },
    nhi: 0.5,
    ownerDepartment: "Engineering",
    entitlements: [
      { name: "Responder", kind: "role", risk: "low", weight: 6, description: "Be paged and acknowledge or resolve incidents." },
      { name: "Manager", kind: "role", risk: "low", weight: 1, description: "Edit schedules, escalation policies and services." },
      {
        name: "Account owner",
        kind: "role",
        risk: "medium",
        privileged: true,
        maxMinutes: 480,
        weight: 0.05,
        description: "Full control of the PagerDuty account, including billing and SSO settings.",
      },
    ],
  },
  {
    name: "Jira",
    description: "Issue tracking for every team.",
    risk: "low",
    connector: "scim",
    family: "saas",
    popularity: 4,
    affinity: ALL,
    nhi: 0.5,
    ownerDepartment: "IT",
    entitlements: [
      { name: "User", kind: "group", risk: "low", weight: 20, description: "Create and work on issues in projects they can see." },
      { name: "Project admin", kind: "role", risk: "low", weight: 0.5, description: "Change workflows, fields and permissions of one project." },
      { name: "Jira administrator", kind: "role", risk: "medium", privileged: true, maxMinutes: 480, weight: 0.03, description: "Change global settings, permission schemes and user access." },
    ],
  },
  {
    name: "Confluence",
    description: "Internal documentation and runbooks.",
    risk: "low",
    connector: "scim",
    family: "saas",
    popularity: 4,
    affinity: ALL,
    nhi: 0.2,
    ownerDepartment: "IT",
    entitlements: [
      { name: "User", kind: "group", risk: "low", weight: 20, description: "Read and edit pages in spaces they can see." },
      { name: "Space admin", kind: "role", risk: "low", weight: 0.5, description: "Manage one space's pages and permissions." },
      {
        name: "Confluence administrator",
        kind: "role",
        risk: "medium",
        privileged: true,
        maxMinutes: 480,
        weight: 0.03,
        description: "Change global permissions and see every space, including restricted ones.",
      },
    ],
  },
  {
    name: "Vault",
    description: "HashiCorp Vault: application secrets, database credentials and the internal PKI.",
    risk: "critical",
    connector: "webhook",
    family: "vault",
    popularity: 1,
    affinity: { Engineering: 0.7, Security: 1, IT: 0.3, "*": 0 },
    nhi: 4,
    ownerDepartment: "Security",
    entitlements: [
      { name: "app-secrets-read", kind: "policy", risk: "high", weight: 4, description: "Read the secrets of the services their team owns." },
      {
        name: "prod-secrets-read",
        kind: "policy",
        risk: "critical",
        privileged: true,
        maxMinutes: 240,
        weight: 0.6,
        description: "Read every production secret, including database and payment provider credentials.",
      },
      { name: "pki-issuer", kind: "policy", risk: "high", privileged: true, maxMinutes: 480, weight: 0.3, description: "Issue TLS certificates from the internal certificate authority." },
      {
        name: "vault-admin",
        kind: "policy",
        risk: "critical",
        privileged: true,
        maxMinutes: 120,
        weight: 0.1,
        description: "Manage auth methods, policies and secret engines; can grant any secret to anyone.",
      },
    ],
  },
  {
    name: "Teleport",
    description: "Access proxy for SSH, Kubernetes and database sessions; records every session.",
    risk: "critical",
    connector: "webhook",
    family: "teleport",
    popularity: 1.5,
    affinity: { Engineering: 1, Security: 0.8, IT: 0.5, "*": 0 },
    nhi: 0.5,
    ownerDepartment: "Security",
    entitlements: [
      { name: "access", kind: "role", risk: "medium", weight: 6, description: "Log in through Teleport to resources their other roles allow; sessions are recorded." },
      { name: "auditor", kind: "role", risk: "medium", weight: 0.5, description: "Watch session recordings and read the Teleport audit log." },
      { name: "editor", kind: "role", risk: "critical", privileged: true, maxMinutes: 240, weight: 0.1, description: "Change Teleport roles, connectors and recording settings." },
    ],
  },
  {
    name: "Stripe dashboard",
    description: "Payments provider: charges, refunds, payouts.",
    risk: "high",
    connector: "manual",
    family: "saas",
    popularity: 0.6,
    affinity: { Finance: 1, Support: 0.5, Engineering: 0.15, "*": 0 },
    nhi: 0.5,
    ownerDepartment: "Finance",
    entitlements: [
      { name: "View only", kind: "role", risk: "low", weight: 3, description: "View payments, customers and payouts." },
      { name: "Support specialist", kind: "role", risk: "medium", weight: 2, description: "View customers and refund charges up to 500 USD." },
      { name: "Refunds operator", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.4, description: "Refund any amount and cancel subscriptions." },
      { name: "Administrator", kind: "role", risk: "critical", privileged: true, maxMinutes: 120, weight: 0.1, description: "Change payout bank accounts, API keys and team members." },
    ],
  },
  {
    name: "Zendesk",
    description: "Customer support tickets and help centre.",
    risk: "medium",
    connector: "scim",
    family: "saas",
    popularity: 1.5,
    affinity: { Support: 1, Sales: 0.2, Engineering: 0.05, "*": 0 },
    nhi: 0.3,
    ownerDepartment: "Support",
    entitlements: [
      { name: "Agent", kind: "role", risk: "medium", weight: 6, description: "Read and answer customer tickets, which contain personal data." },
      { name: "Light agent", kind: "role", risk: "low", weight: 2, description: "Read tickets and add private comments." },
      { name: "Administrator", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.15, description: "Manage agents, triggers, integrations and data exports." },
    ],
  },
  {
    name: "Jamf Pro",
    description: "Management of company laptops.",
    risk: "medium",
    connector: "manual",
    family: "saas",
    popularity: 0.3,
    affinity: { IT: 1, Security: 0.4, "*": 0 },
    nhi: 0.2,
    ownerDepartment: "IT",
    entitlements: [
      { name: "Read-only", kind: "role", risk: "low", weight: 2, description: "View the laptop inventory and compliance reports." },
      { name: "Help desk", kind: "role", risk: "medium", weight: 3, description: "View devices, lock and wipe lost laptops." },
      { name: "Administrator", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.5, description: "Push scripts and software to every company laptop." },
    ],
  },
  {
    name: "HubSpot",
    description: "Marketing automation and lead lists.",
    risk: "medium",
    connector: "scim",
    family: "saas",
    popularity: 0.8,
    affinity: { Marketing: 1, Sales: 0.3, "*": 0 },
    nhi: 0.3,
    ownerDepartment: "Marketing",
    entitlements: [
      { name: "Marketing user", kind: "role", risk: "low", weight: 5, description: "Create campaigns and landing pages." },
      { name: "Contacts exporter", kind: "permission", risk: "medium", weight: 0.5, description: "Export contact lists with personal data." },
      { name: "Super admin", kind: "role", risk: "high", privileged: true, maxMinutes: 480, weight: 0.1, description: "Manage users, integrations and every contact record." },
    ],
  },
];

/**
 * Separation-of-duties rules: sets of entitlements ("application/entitlement") nobody may hold
 * more than one of. The NetSuite rule is a set of three, so the demo shows a conflict with two of three.
 */
export const SOD_RULES: readonly { members: readonly string[]; severity: Risk; name: string; description: string }[] = [
  {
    members: ["NetSuite/AP clerk", "NetSuite/AP approver", "NetSuite/Controller"],
    severity: "high",
    name: "Enter, approve and post vendor bills",
    description: "Entering a vendor bill, approving its payment and posting the journal entries that could hide it must be three different people (invoice fraud).",
  },
  {
    members: ["Workday/Payroll administrator", "Workday/Compensation approver"],
    severity: "high",
    name: "Run payroll and approve pay changes",
    description: "Approving a raise and paying it out must be two people.",
  },
  {
    members: ["AWS production/IAMAdministrator", "AWS production/CloudTrailAdministrator"],
    severity: "critical",
    name: "Grant access and control the audit log",
    description: "Someone who can grant any access must not also be able to switch off the record of it.",
  },
];

export function catalogueApp(name: string): CatalogueApp {
  const app = CATALOGUE.find((a) => a.name === name);
  if (!app) throw new Error(`unknown catalogue application ${name}`);
  return app;
}
