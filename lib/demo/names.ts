/** Word lists for the demo organisation. Plain ASCII so emails and usernames need no folding. */

export const FIRST_NAMES = [
  "Aaron", "Abigail", "Adrian", "Aisha", "Alan", "Alice", "Amara", "Amir", "Ana", "Andre", "Anika", "Ben", "Beatriz", "Bilal",
  "Bruno", "Carla", "Carlos", "Chen", "Chloe", "Chris", "Clara", "Daniel", "Dara", "David", "Diana", "Diego", "Elena", "Eli",
  "Emeka", "Emil", "Emma", "Ethan", "Fatima", "Felix", "Fiona", "Frank", "Gabriel", "Georgia", "Hannah", "Hassan", "Helen",
  "Hugo", "Ian", "Ines", "Isaac", "Ivan", "Jack", "Jade", "James", "Jana", "Javier", "Jin", "Joao", "Jonas", "Julia", "Kamal",
  "Karen", "Kate", "Kenji", "Laila", "Lars", "Laura", "Leah", "Leon", "Lina", "Lucas", "Luis", "Maria", "Marco", "Mark",
  "Marta", "Mateo", "Max", "Mei", "Mira", "Mohammed", "Nadia", "Naomi", "Nathan", "Nikhil", "Noah", "Nora", "Olga", "Oliver",
  "Olivia", "Pablo", "Paul", "Petra", "Quinn", "Rachel", "Rafael", "Rahul", "Rosa", "Ruth", "Ryan", "Sara", "Sean", "Selin",
  "Simon", "Sofia", "Stefan", "Sven", "Tanvir", "Tara", "Theo", "Uma", "Valentina", "Vera", "Viktor", "Wei", "Will", "Xavier",
  "Yara", "Yusuf", "Zara", "Zoe", "Ahmed", "Bianca", "Cyrus", "Dmitri", "Esther", "Farah", "Gwen", "Hiro", "Isla", "Joel",
] as const;

export const LAST_NAMES = [
  "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bailey", "Baker", "Banerjee", "Becker", "Bennett", "Bianchi", "Brooks", "Brown",
  "Campbell", "Carter", "Castro", "Chang", "Chen", "Clarke", "Cohen", "Collins", "Costa", "Cruz", "Das", "Davies", "Diaz",
  "Dubois", "Edwards", "Eriksen", "Evans", "Fernandes", "Fischer", "Fleming", "Garcia", "Gomez", "Gonzalez", "Green", "Gupta",
  "Hall", "Hansen", "Harris", "Hayes", "Hoffmann", "Hughes", "Ibrahim", "Ito", "Jansen", "Jensen", "Johnson", "Jones", "Kaur",
  "Keller", "Khan", "Kowalski", "Kumar", "Larsen", "Laurent", "Lee", "Lewis", "Lindqvist", "Lopez", "Martin", "Mendes",
  "Meyer", "Miller", "Mitchell", "Moreau", "Morris", "Murphy", "Nakamura", "Nguyen", "Nielsen", "Novak", "Okafor", "Olsen",
  "Ortega", "Owens", "Park", "Patel", "Perez", "Petrov", "Phillips", "Popescu", "Price", "Quinn", "Rahman", "Ramos", "Reid",
  "Richter", "Rivera", "Roberts", "Rossi", "Russo", "Saito", "Santos", "Schmidt", "Scott", "Silva", "Singh", "Smith",
  "Sorensen", "Suzuki", "Tan", "Taylor", "Thomas", "Torres", "Turner", "Vargas", "Varga", "Wagner", "Walker", "Wang",
  "Watson", "Weber", "White", "Williams", "Wilson", "Wong", "Wright", "Yamamoto", "Young", "Zhang", "Zimmermann",
] as const;

export interface Department {
  name: string;
  /** Share of the workforce. */
  weight: number;
  head: string;
  managerTitles: readonly string[];
  titles: readonly string[];
  /** Ticket project key used in justifications ("ENG-1234"). */
  ticket: string;
  /** How readily this department gets privileged entitlements (1 = engineering baseline). */
  privilegeAffinity: number;
}

export const DEPARTMENTS: readonly Department[] = [
  {
    name: "Engineering", weight: 34, head: "VP Engineering", ticket: "ENG", privilegeAffinity: 1,
    managerTitles: ["Engineering Manager", "Director of Engineering", "Staff Engineer"],
    titles: ["Software Engineer", "Senior Software Engineer", "Site Reliability Engineer", "Platform Engineer", "Data Engineer", "QA Engineer", "Mobile Engineer"],
  },
  {
    name: "Finance", weight: 8, head: "Chief Financial Officer", ticket: "FIN", privilegeAffinity: 0.35,
    managerTitles: ["Finance Manager", "Controller", "Treasury Manager"],
    titles: ["Accountant", "AP Specialist", "Financial Analyst", "Payroll Specialist", "Billing Specialist"],
  },
  {
    name: "Sales", weight: 16, head: "VP Sales", ticket: "SALES", privilegeAffinity: 0.1,
    managerTitles: ["Sales Manager", "Regional Sales Director"],
    titles: ["Account Executive", "Sales Development Representative", "Sales Operations Analyst", "Solutions Engineer"],
  },
  {
    name: "Support", weight: 12, head: "VP Customer Support", ticket: "SUP", privilegeAffinity: 0.2,
    managerTitles: ["Support Manager", "Support Team Lead"],
    titles: ["Support Engineer", "Customer Support Specialist", "Technical Account Manager"],
  },
  {
    name: "HR", weight: 5, head: "Chief People Officer", ticket: "HR", privilegeAffinity: 0.2,
    managerTitles: ["HR Manager", "Talent Acquisition Lead"],
    titles: ["HR Business Partner", "Recruiter", "People Operations Specialist"],
  },
  {
    name: "Security", weight: 4, head: "Chief Information Security Officer", ticket: "SEC", privilegeAffinity: 1.2,
    managerTitles: ["Security Engineering Manager", "Head of GRC"],
    titles: ["Security Engineer", "Security Analyst", "GRC Analyst", "Detection Engineer"],
  },
  {
    name: "IT", weight: 5, head: "Head of IT", ticket: "IT", privilegeAffinity: 1.1,
    managerTitles: ["IT Manager", "Identity Team Lead"],
    titles: ["IT Administrator", "IT Support Specialist", "Identity Engineer", "Endpoint Engineer"],
  },
  {
    name: "Legal", weight: 3, head: "General Counsel", ticket: "LEGAL", privilegeAffinity: 0.05,
    managerTitles: ["Legal Manager"],
    titles: ["Counsel", "Paralegal", "Privacy Analyst"],
  },
  {
    name: "Marketing", weight: 9, head: "VP Marketing", ticket: "MKT", privilegeAffinity: 0.1,
    managerTitles: ["Marketing Manager", "Head of Growth"],
    titles: ["Marketing Specialist", "Content Marketer", "Growth Analyst", "Product Designer", "Events Coordinator"],
  },
  {
    name: "Internal Audit", weight: 1, head: "Head of Internal Audit", ticket: "AUD", privilegeAffinity: 0.05,
    managerTitles: ["Audit Manager"],
    titles: ["Internal Auditor", "IT Auditor"],
  },
];

export const DEPARTMENT_INDEX: Readonly<Record<string, number>> = Object.fromEntries(DEPARTMENTS.map((d, i) => [d.name, i]));

export function departmentIndex(name: string): number {
  const index = DEPARTMENT_INDEX[name];
  if (index === undefined) throw new Error(`unknown department ${name}`);
  return index;
}

export interface Vendor {
  name: string;
  domain: string;
  /** The department that sponsors (and reviews) the vendor's people. */
  department: string;
  role: string;
}

/** Fictional companies on reserved .example domains, so no generated email can reach anyone. */
export const VENDORS: readonly Vendor[] = [
  { name: "Northwind Support Services", domain: "northwind-support.example", department: "Support", role: "Outsourced Support Agent" },
  { name: "Globex Consulting", domain: "globex-consulting.example", department: "Engineering", role: "Consultant, Cloud Migration" },
  { name: "Initech Managed IT", domain: "initech-it.example", department: "IT", role: "Managed Service Engineer" },
  { name: "Umbrella Security Partners", domain: "umbrella-security.example", department: "Security", role: "Penetration Tester" },
  { name: "Acme Data Labs", domain: "acme-data.example", department: "Engineering", role: "Data Consultant" },
  { name: "Hooli Creative", domain: "hooli-creative.example", department: "Marketing", role: "Agency Designer" },
  { name: "Vandelay Payroll", domain: "vandelay-payroll.example", department: "Finance", role: "Payroll Processor" },
];

/** Systems and purposes that non-human identity names are built from ("svc-billing-export"). */
export const NHI_SYSTEMS = [
  "billing", "payments", "ledger", "search", "checkout", "catalog", "identity", "notifications", "analytics", "reporting",
  "backup", "ingest", "etl", "crm-sync", "hr-sync", "monitoring", "alerting", "deploy", "build", "release", "fraud", "pricing",
  "invoices", "exports", "webhooks", "chat", "mobile-api", "partner-api", "support", "warehouse",
] as const;

export const NHI_PURPOSES = [
  "export", "sync", "reader", "writer", "deployer", "scheduler", "worker", "bot", "importer", "scanner", "rotator", "agent",
] as const;

export const AI_AGENT_PURPOSES = [
  "support-triage", "code-review", "incident-summary", "invoice-matching", "sales-research", "access-request-helper",
  "log-analysis", "ticket-routing", "docs-assistant", "security-triage",
] as const;

export const ACTIVATION_REASONS = [
  "On-call: investigating elevated 5xx rate on the checkout service",
  "Scheduled maintenance window: database minor version upgrade",
  "Rotating TLS certificates on the production load balancers",
  "Debugging a failed deployment rollback",
  "Applying an emergency security patch to production hosts",
  "Customer escalation: verifying data for a billing dispute",
  "Capacity change: resizing the production node pool",
  "Investigating a stuck message queue consumer",
  "Restoring a table from backup after a bad migration",
  "Quarterly disaster-recovery exercise",
] as const;

export const BREAK_GLASS_REASONS = [
  "SEV1: production unavailable, normal admin path (SSO) is down",
  "SEV1: compromised deploy credentials, revoking keys before the identity provider recovers",
  "SEV2: primary database failover stuck, root needed to restore the IAM trust policy",
] as const;

export const REQUEST_REASONS = [
  "Needed for my on-call rotation",
  "Joining the platform team; need the same access as the rest of the team",
  "Project work on the billing migration this quarter",
  "Covering for a colleague on leave",
  "Required to resolve customer tickets in this system",
  "Month-end close",
  "Running the quarterly audit sample",
  "New hire onboarding for my role",
  "Building the new reporting pipeline",
  "Incident follow-up actions assigned to me",
] as const;

export const MANAGER_COMMENTS = [
  "Approved, part of their current role.",
  "OK for the on-call rotation.",
  "Yes, needed for the migration project.",
  "Approved; please remove when the project ends.",
  "Fine, confirmed with the team lead.",
] as const;

export const OWNER_COMMENTS = [
  "Approved. Scope matches the request.",
  "Approved for the requested duration only.",
  "OK, ticket reviewed.",
  "Approved; use the eligible role and activate only when needed.",
  "Approved, least-privilege role for this task.",
] as const;

/** Words that synthetic application names are made from at large scale. */
export const APP_DOMAINS = [
  "Billing", "Payments", "Ledger", "Catalog", "Search", "Checkout", "Identity", "Inventory", "Pricing", "Fraud", "Shipping",
  "Analytics", "Reporting", "Partner", "Loyalty", "Notifications", "Messaging", "Docs", "Forecast", "Procurement", "Tax",
  "Treasury", "Recruiting", "Training", "Facilities", "Compliance", "Risk", "Marketing", "Content", "Media",
] as const;

export const APP_SYSTEMS = [
  "API", "Service", "Portal", "Console", "Warehouse", "Database", "Dashboard", "Pipeline", "Gateway", "Scheduler", "Admin",
  "Cluster", "Store", "Engine", "Tracker",
] as const;

export const APP_ENVIRONMENTS = ["prod", "staging", "internal", "eu", "us", "apac"] as const;
