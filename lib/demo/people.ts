/**
 * The people a demo visitor can sign in as. They exist in every generated organisation (demo
 * and large scale) with exactly these emails, all active human employees.
 */
export type DemoRole = "manager" | "app_owner" | "auditor" | "admin" | "employee";

export interface DemoPerson {
  email: string;
  role: DemoRole;
  label: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { email: "maya.manager@accord.example", role: "manager", label: "Maya Manager, Engineering manager with 8 reports who hold privileged access" },
  { email: "omar.owner@accord.example", role: "app_owner", label: "Omar Owner, owner of AWS production and Postgres prod" },
  { email: "ada.auditor@accord.example", role: "auditor", label: "Ada Auditor, Internal Audit (auditor role)" },
  { email: "alex.admin@accord.example", role: "admin", label: "Alex Admin, IT (admin role)" },
  { email: "erin.employee@accord.example", role: "employee", label: "Erin Employee, software engineer reporting to Maya" },
];
