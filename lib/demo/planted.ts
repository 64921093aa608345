/**
 * Fixed people, non-human identities and planted drift. These exist at every scale, with the
 * same emails and names, so the demo, the docs and the tests can point at them.
 *
 * Planted drift (what drift detection should find in the demo organisation):
 *  1. Used without approval: Sam Ortiz opened a Teleport session on Kubernetes prod cluster
 *     "cluster-admin" 9 days ago without any grant or activation for it (PLANTED_SESSIONS).
 *  2. Expired but live: contractor Kai Lund's time-bound "Postgres prod / app_readwrite" grant
 *     expired 12 days ago but is still status active with live_state present.
 *  3. Revocation not applied: Alex Admin revoked Tomas Novak's GitHub "Owner" 30 hours ago; every
 *     dispatch to GitHub's SCIM endpoint failed (HTTP 500) and the 24-hour SLA has passed.
 *  4. Re-granted after revocation: Lucia Moreno's standing Okta "Super administrator" was revoked
 *     and verified 20 days ago; the Okta SCIM sync re-added it 6 days ago with no approval.
 *  5. Leaver account: Victor Hale (Sales) left 21 days ago; his grants and accounts are all
 *     still active and present.
 *  5. Orphan accounts: accounts with no identity in AWS production, Postgres prod, GitHub,
 *     Salesforce and Okta admin (PLANTED_ORPHANS).
 *  6. NHI with no owner: svc-legacy-reporting, token-zapier-import.
 *     NHI owned by a leaver: svc-backup-s3, apikey-pagerduty-sync, ci-runner-legacy (owner
 *     Nina Ford, IT, left 75 days ago).
 *  7. Unused standing privilege: Dan Reyes's standing "Postgres prod / superuser" (granted 420
 *     days ago, no session or usage ever); also Alex Admin's standing Okta "Super administrator"
 *     and Omar's standing Teleport "editor", which are used only rarely. Generated privileged
 *     standing grants are also dormant at a steady rate (no use in the last 90+ days).
 *  8. Break-glass use not reviewed: Jo Kim activated "AWS production / break-glass root" two
 *     days ago for INC-4821 and used it in a session; no review exists.
 *  9. SoD conflict: Priya Shah (Finance) holds NetSuite "AP clerk" and "AP approver", two of the
 *     three entitlements of the rule "Enter, approve and post vendor bills".
 *  Credential not rotated: svc-backup-s3's access key was last rotated 400 days ago.
 *
 * Also for the demo, not drift: Maya has an activation running right now (AWS production
 * AdministratorAccess), and two requests are waiting: Erin's (on Maya) and Sam's (on Omar).
 */
import type { GrantKind, GrantSource, IdentityType, Pin } from "./model";

export interface FixedPerson {
  key: string;
  first: string;
  last: string;
  email: string;
  type: "employee" | "contractor";
  department: string;
  title: string;
  /** "head" = the department head; otherwise another fixed person's key, listed earlier. */
  manager: string;
  status?: "leaver" | "suspended";
  leftDaysAgo?: number;
  /** A leaver whose access nobody removed. */
  keepsAccess?: boolean;
  startedDaysAgo: number;
  privileged?: boolean;
  /** Generated grants on top of the pins. */
  extraGrants: number;
  pins: Pin[];
  /** Entitlements ("app/ent") the generated grants must avoid, so planted facts stay true. */
  avoid?: string[];
}

export interface FixedNhi {
  key: string;
  type: IdentityType;
  name: string;
  description: string;
  owner: string | null;
  pins: Pin[];
}

const pin = (app: string, ent: string, kind: GrantKind = "standing", source: GrantSource = "scim", more: Partial<Pin> = {}): Pin => ({ app, ent, kind, source, ...more });
const BASE: Pin[] = [pin("Google Workspace admin", "User"), pin("Slack admin", "Member"), pin("Workday", "Employee self-service"), pin("Jira", "User"), pin("Confluence", "User")];

export const FIXED_PEOPLE: readonly FixedPerson[] = [
  {
    key: "maya",
    first: "Maya",
    last: "Manager",
    email: "maya.manager@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Engineering Manager, Platform",
    manager: "head",
    startedDaysAgo: 1_900,
    extraGrants: 0,
    pins: [
      ...BASE,
      pin("GitHub", "Maintainer (platform repos)", "standing", "request"),
      pin("AWS production", "ReadOnlyAccess"),
      pin("AWS production", "AdministratorAccess", "eligible", "request", {
        activation: { startedMinutesAgo: 40, minutes: 120, sessionMinutes: 12, justification: "Reviewing the IAM changes of the payments team before tonight's release", ticket: "ENG-5120" },
      }),
      pin("Kubernetes prod cluster", "namespace-admin", "eligible", "request"),
      pin("Datadog", "Datadog Standard"),
      pin("PagerDuty", "Manager"),
      pin("Teleport", "access"),
    ],
  },
  {
    key: "omar",
    first: "Omar",
    last: "Owner",
    email: "omar.owner@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Head of Infrastructure",
    manager: "head",
    startedDaysAgo: 2_600,
    extraGrants: 0,
    pins: [
      ...BASE,
      pin("AWS production", "ReadOnlyAccess"),
      pin("AWS production", "AdministratorAccess", "eligible", "request"),
      pin("Postgres prod", "app_readonly", "standing", "import"),
      pin("Postgres prod", "superuser", "eligible", "request"),
      pin("AWS production", "break-glass root", "eligible", "request"),
      pin("Kubernetes prod cluster", "cluster-admin", "eligible", "request"),
      pin("Vault", "vault-admin", "eligible", "request"),
      pin("Teleport", "editor", "standing", "import"),
      pin("GitHub", "Member"),
    ],
  },
  {
    key: "ada",
    first: "Ada",
    last: "Auditor",
    email: "ada.auditor@accord.example",
    type: "employee",
    department: "Internal Audit",
    title: "Senior Internal Auditor",
    manager: "head",
    startedDaysAgo: 1_200,
    extraGrants: 0,
    pins: [...BASE, pin("NetSuite", "Auditor (read-only)", "standing", "request"), pin("AWS production", "SecurityAudit", "standing", "request"), pin("Teleport", "auditor", "standing", "request")],
  },
  {
    key: "alex",
    first: "Alex",
    last: "Admin",
    email: "alex.admin@accord.example",
    type: "employee",
    department: "IT",
    title: "IT Administrator",
    manager: "head",
    startedDaysAgo: 1_500,
    extraGrants: 0,
    pins: [
      ...BASE,
      pin("Okta admin", "Super administrator", "standing", "import"),
      pin("Okta admin", "Help desk administrator", "standing", "request"),
      pin("Google Workspace admin", "Super admin", "eligible", "request"),
      pin("Slack admin", "Workspace admin", "standing", "request"),
      pin("Jamf Pro", "Administrator", "eligible", "request"),
    ],
  },
  {
    key: "erin",
    first: "Erin",
    last: "Employee",
    email: "erin.employee@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Software Engineer",
    manager: "maya",
    startedDaysAgo: 420,
    extraGrants: 0,
    avoid: ["AWS production/PowerUserAccess"],
    pins: [
      ...BASE.slice(0, 4),
      pin("GitHub", "Member"),
      pin("AWS staging", "DeveloperAccess", "standing", "request"),
      pin("Kubernetes staging cluster", "developer", "standing", "request"),
      pin("Datadog", "Datadog Read Only"),
    ],
  },
  {
    key: "sam",
    first: "Sam",
    last: "Ortiz",
    email: "sam.ortiz@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Site Reliability Engineer",
    manager: "maya",
    startedDaysAgo: 800,
    privileged: true,
    extraGrants: 6,
    avoid: ["Kubernetes prod cluster/cluster-admin", "Kubernetes prod cluster/break-glass cluster-admin", "Postgres prod/app_readwrite"],
    pins: [...BASE, pin("Kubernetes prod cluster", "view"), pin("AWS production", "PowerUserAccess", "eligible", "request"), pin("Teleport", "access")],
  },
  {
    key: "jo",
    first: "Jo",
    last: "Kim",
    email: "jo.kim@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Site Reliability Engineer",
    manager: "maya",
    startedDaysAgo: 1_100,
    privileged: true,
    extraGrants: 5,
    pins: [
      ...BASE,
      pin("AWS production", "break-glass root", "eligible", "request", {
        activation: {
          startedMinutesAgo: 2 * 24 * 60 + 130,
          minutes: 60,
          sessionMinutes: 38,
          breakGlass: true,
          incidentId: "INC-4821",
          only: true,
          justification: "SEV1: primary database failover stuck, root needed to restore the IAM trust policy",
          ticket: "INC-4821",
        },
      }),
      pin("Kubernetes prod cluster", "cluster-admin", "eligible", "request"),
      pin("Teleport", "access"),
    ],
  },
  {
    key: "dan",
    first: "Dan",
    last: "Reyes",
    email: "dan.reyes@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Database Reliability Engineer",
    manager: "maya",
    startedDaysAgo: 1_400,
    privileged: true,
    extraGrants: 4,
    pins: [...BASE, pin("Postgres prod", "superuser", "standing", "import", { grantedDaysAgo: 420, unused: true }), pin("Postgres prod", "app_readonly"), pin("Teleport", "access")],
  },
  {
    key: "lucia",
    first: "Lucia",
    last: "Moreno",
    email: "lucia.moreno@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Platform Engineer",
    manager: "maya",
    startedDaysAgo: 650,
    privileged: true,
    extraGrants: 6,
    avoid: ["Okta admin/Super administrator"],
    pins: [
      ...BASE,
      // Revoked and verified 20 days ago; the Okta sync put it back 6 days ago without anyone approving it.
      pin("Okta admin", "Super administrator", "standing", "request", {
        grantedDaysAgo: 300,
        revokedDaysAgo: 20,
        revocation: { status: "verified", by: "alex", requestedHoursAgo: 20 * 24, attempts: 1, reason: "Break-glass only: nobody keeps standing Super administrator" },
      }),
      pin("Okta admin", "Super administrator", "standing", "scim", { grantedDaysAgo: 6 }),
    ],
  },
  {
    key: "ravi",
    first: "Ravi",
    last: "Menon",
    email: "ravi.menon@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Platform Engineer",
    manager: "maya",
    startedDaysAgo: 300,
    privileged: true,
    extraGrants: 8,
    pins: BASE,
  },
  {
    key: "hana",
    first: "Hana",
    last: "Sato",
    email: "hana.sato@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Site Reliability Engineer",
    manager: "maya",
    startedDaysAgo: 980,
    privileged: true,
    extraGrants: 7,
    pins: [...BASE, pin("Kubernetes prod cluster", "break-glass cluster-admin", "eligible", "request")],
  },
  {
    key: "tomas",
    first: "Tomas",
    last: "Novak",
    email: "tomas.novak@accord.example",
    type: "employee",
    department: "Engineering",
    title: "Senior Software Engineer",
    manager: "maya",
    startedDaysAgo: 1_700,
    privileged: true,
    extraGrants: 7,
    avoid: ["GitHub/Owner"],
    pins: [
      ...BASE,
      // Revoked 30 hours ago; GitHub's SCIM endpoint answered 500 eight times. The SLA was 24 hours.
      pin("GitHub", "Owner", "standing", "request", {
        grantedDaysAgo: 500,
        revocation: {
          status: "failed",
          by: "alex",
          requestedHoursAgo: 30,
          attempts: 8,
          reason: "Left the release team; Owner is for the two org admins only",
          lastError: "HTTP 500 from PATCH /scim/v2/Groups (GitHub: Internal Server Error), 8 attempts",
        },
      }),
    ],
  },
  {
    key: "victor",
    first: "Victor",
    last: "Hale",
    email: "victor.hale@accord.example",
    type: "employee",
    department: "Sales",
    title: "Account Executive",
    manager: "head",
    status: "leaver",
    leftDaysAgo: 21,
    keepsAccess: true,
    startedDaysAgo: 1_000,
    extraGrants: 2,
    pins: [...BASE.slice(0, 4), pin("Salesforce", "Sales user"), pin("Salesforce", "Report exporter", "standing", "request")],
  },
  {
    key: "nina",
    first: "Nina",
    last: "Ford",
    email: "nina.ford@accord.example",
    type: "employee",
    department: "IT",
    title: "Systems Engineer",
    manager: "head",
    status: "leaver",
    leftDaysAgo: 75,
    startedDaysAgo: 2_000,
    extraGrants: 3,
    pins: BASE,
  },
  {
    key: "priya",
    first: "Priya",
    last: "Shah",
    email: "priya.shah@accord.example",
    type: "employee",
    department: "Finance",
    title: "AP Specialist",
    manager: "head",
    startedDaysAgo: 900,
    extraGrants: 1,
    pins: [...BASE, pin("NetSuite", "AP clerk", "standing", "request"), pin("NetSuite", "AP approver", "standing", "direct")],
  },
  {
    key: "kai",
    first: "Kai",
    last: "Lund",
    email: "kai.lund@accord.example",
    type: "contractor",
    department: "Engineering",
    title: "Data Engineer (contract)",
    manager: "omar",
    startedDaysAgo: 200,
    extraGrants: 1,
    pins: [...BASE.slice(0, 2), pin("GitHub", "Member"), pin("Postgres prod", "app_readwrite", "time_bound", "request", { grantedDaysAgo: 42, expiredDaysAgo: 12 })],
  },
  {
    key: "leo",
    first: "Leo",
    last: "Brandt",
    email: "leo.brandt@accord.example",
    type: "employee",
    department: "Support",
    title: "Support Engineer",
    manager: "head",
    status: "suspended",
    startedDaysAgo: 700,
    extraGrants: 3,
    pins: BASE,
  },
  {
    key: "mia",
    first: "Mia",
    last: "Costa",
    email: "mia.costa@accord.example",
    type: "employee",
    department: "Marketing",
    title: "Content Marketer",
    manager: "head",
    status: "suspended",
    startedDaysAgo: 500,
    extraGrants: 3,
    pins: BASE,
  },
];

export const FIXED_NHIS: readonly FixedNhi[] = [
  {
    key: "legacy-reporting",
    type: "service_account",
    name: "svc-legacy-reporting",
    description: "Nightly finance report export from the old BI server",
    owner: null,
    pins: [pin("Snowflake", "ANALYST", "standing", "import"), pin("Postgres prod", "app_readonly", "standing", "import")],
  },
  {
    key: "zapier",
    type: "token",
    name: "token-zapier-import",
    description: "Zapier integration importing web leads into Salesforce",
    owner: null,
    pins: [pin("Salesforce", "Sales user", "standing", "direct"), pin("HubSpot", "Contacts exporter", "standing", "direct")],
  },
  {
    key: "backup",
    type: "service_account",
    name: "svc-backup-s3",
    description: "Copies database snapshots to the backup bucket",
    owner: "nina",
    pins: [pin("AWS production", "PowerUserAccess", "standing", "import")],
  },
  {
    key: "pagerduty",
    type: "api_key",
    name: "apikey-pagerduty-sync",
    description: "Syncs on-call schedules from Workday to PagerDuty",
    owner: "nina",
    pins: [pin("PagerDuty", "Manager", "standing", "direct")],
  },
  {
    key: "ci-legacy",
    type: "workload",
    name: "ci-runner-legacy",
    description: "Self-hosted CI runner for the monolith",
    owner: "nina",
    pins: [pin("GitHub", "Actions secrets admin", "standing", "import")],
  },
  {
    key: "deployer",
    type: "workload",
    name: "github-actions-deployer",
    description: "Deploys merged changes to production",
    owner: "omar",
    pins: [pin("Kubernetes prod cluster", "namespace-edit", "standing", "import"), pin("AWS production", "PowerUserAccess", "standing", "import")],
  },
  {
    key: "reconciler",
    type: "service_account",
    name: "svc-payments-reconciler",
    description: "Reconciles Stripe payouts with the ledger",
    owner: "omar",
    pins: [pin("Postgres prod", "app_readwrite", "standing", "import"), pin("Stripe dashboard", "View only", "standing", "import")],
  },
  {
    key: "triage",
    type: "ai_agent",
    name: "agent-support-triage",
    description: "AI agent that labels and routes incoming support tickets",
    owner: "maya",
    pins: [pin("Zendesk", "Light agent", "standing", "direct"), pin("Jira", "User", "standing", "direct")],
  },
];

export const PLANTED_SESSIONS = [{ who: "sam", app: "Kubernetes prod cluster", ent: "cluster-admin", daysAgo: 9, minutes: 47, target: "prod-eu-1", login: "cluster-admin" }] as const;

export const PLANTED_PENDING_REQUESTS = [
  {
    who: "erin",
    app: "AWS production",
    ent: "PowerUserAccess",
    kind: "time_bound",
    minutes: 480,
    hoursAgo: 3,
    ticket: "ENG-5188",
    justification: "Need to fix the S3 lifecycle rule that is deleting staging exports in production",
    approved: 0,
  },
  {
    who: "sam",
    app: "Postgres prod",
    ent: "app_readwrite",
    kind: "time_bound",
    minutes: 240,
    hoursAgo: 20,
    ticket: "SUP-2291",
    justification: "Customer escalation: correct a duplicated invoice row for account 48213",
    approved: 1,
  },
] as const;

export const PLANTED_ORPHANS = [
  { app: "AWS production", username: "deploy-legacy", lastLoginDaysAgo: 140 },
  { app: "Postgres prod", username: "reporting_old", lastLoginDaysAgo: 33 },
  { app: "GitHub", username: "jenkins-ci-old", lastLoginDaysAgo: 260 },
  { app: "Salesforce", username: "former.salesops@accord.example", lastLoginDaysAgo: 400 },
  { app: "Okta admin", username: "temp-admin-2023", lastLoginDaysAgo: 610 },
] as const;

/** svc-backup-s3's key: rotation overdue by almost a year. */
export const PLANTED_STALE_CREDENTIAL = { nhi: "backup", rotatedDaysAgo: 400 } as const;
