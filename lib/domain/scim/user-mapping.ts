import type { ScimUserRow } from "@/db/queries/scim";
import { etagOf } from "./etag";
import { isPlainObject, requiredString, schemasOf, type ScimResource } from "./normalize";
import { ENTERPRISE_SCHEMA } from "./schema-definitions";

/**
 * How a SCIM User maps to an Accord identity. The columns Accord reasons about (userName,
 * displayName, status, title, department, employee number, manager, email) are derived from
 * the resource; the resource itself is kept as written so everything else round-trips.
 */
export interface UserFacts {
  userName: string;
  displayName: string;
  /** null when the resource leaves `active` unassigned: a new User is active, an existing one keeps its status. */
  active: boolean | null;
  title: string | null;
  department: string | null;
  employeeNumber: string | null;
  /** The manager's SCIM id as written; linked only if it names a User of the same source. */
  managerRef: string | null;
  email: string | null;
  type: "employee" | "contractor" | "third_party";
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

function enterprise(resource: ScimResource): Record<string, unknown> {
  const ext = resource[ENTERPRISE_SCHEMA];
  return isPlainObject(ext) ? ext : {};
}

/** The primary email, else the first; only something that looks like an address. */
function emailOf(resource: ScimResource): string | null {
  const emails = Array.isArray(resource.emails) ? resource.emails.filter(isPlainObject) : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails[0];
  const value = text(chosen?.value);
  return value && /^[^\s@]+@[^\s@]+$/.test(value) && value.length <= 320 ? value : null;
}

function typeOf(userType: string | null): UserFacts["type"] {
  if (!userType) return "employee";
  if (/contract/i.test(userType)) return "contractor";
  if (/third|partner|vendor|guest|external/i.test(userType)) return "third_party";
  return "employee";
}

export function userFacts(resource: ScimResource): UserFacts {
  const userName = requiredString(resource, "userName");
  const name = isPlainObject(resource.name) ? resource.name : {};
  const joined = [text(name.givenName), text(name.familyName)].filter(Boolean).join(" ");
  const ext = enterprise(resource);
  const manager = isPlainObject(ext.manager) ? text(ext.manager.value) : null;
  return {
    userName,
    displayName: text(resource.displayName) ?? text(name.formatted) ?? (joined || userName),
    active: typeof resource.active === "boolean" ? resource.active : null,
    title: text(resource.title),
    department: text(ext.department),
    employeeNumber: text(ext.employeeNumber),
    managerRef: manager,
    email: emailOf(resource),
    type: typeOf(text(resource.userType)),
  };
}

/**
 * The resource as Accord holds it now: the stored document with the attributes Accord owns
 * taken from the columns (an admin's status change shows as `active`). PATCH applies to this.
 */
export function currentUserDocument(row: ScimUserRow): ScimResource {
  const doc: ScimResource = structuredClone(row.scimResource ?? {});
  doc.userName = row.userName ?? doc.userName;
  doc.active = row.status !== "leaver";
  doc.displayName = row.displayName;
  if (row.title) doc.title = row.title;
  else delete doc.title;
  const ext = { ...enterprise(doc) };
  if (row.department) ext.department = row.department;
  else delete ext.department;
  if (row.employeeNumber) ext.employeeNumber = row.employeeNumber;
  else delete ext.employeeNumber;
  if (Object.keys(ext).length > 0) doc[ENTERPRISE_SCHEMA] = ext;
  else delete doc[ENTERPRISE_SCHEMA];
  return doc;
}

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Users/${id}`;
}

export function toScimUser(row: ScimUserRow, baseUrl: string): ScimResource {
  const doc = currentUserDocument(row);
  const ext = doc[ENTERPRISE_SCHEMA];
  if (isPlainObject(ext) && isPlainObject(ext.manager) && typeof ext.manager.value === "string" && row.managerId === ext.manager.value) {
    ext.manager = { ...ext.manager, $ref: userLocation(baseUrl, row.managerId) };
  }
  return {
    schemas: schemasOf("User", doc),
    id: row.id,
    ...doc,
    meta: {
      resourceType: "User",
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: userLocation(baseUrl, row.id),
      version: etagOf(row.version),
    },
  };
}
