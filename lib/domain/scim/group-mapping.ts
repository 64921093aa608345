import type { ScimGroupRow } from "@/db/queries/scim";
import { etagOf } from "./etag";
import { schemasOf, type ScimResource } from "./normalize";
import { userLocation } from "./user-mapping";

/**
 * A SCIM Group is an entitlement of kind 'group' in the source's application; its members are
 * the live standing grants of the source's Users on it. The document keeps what the client
 * wrote apart from members (displayName lives in the entitlement's name).
 */
export interface GroupMember {
  id: string;
  displayName: string;
}

export function groupLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Groups/${id}`;
}

/** The stored document for a Group: everything but members, with displayName as the entitlement holds it. */
export function currentGroupDocument(row: ScimGroupRow): ScimResource {
  return { ...structuredClone(row.scimResource ?? {}), displayName: row.displayName };
}

/** `members` null means "not requested" (excludedAttributes=members): the attribute is left out. */
export function toScimGroup(row: ScimGroupRow, members: GroupMember[] | null, baseUrl: string): ScimResource {
  const doc = currentGroupDocument(row);
  return {
    schemas: schemasOf("Group", doc),
    id: row.id,
    ...doc,
    ...(members && members.length > 0 ? { members: members.map((m) => ({ value: m.id, $ref: userLocation(baseUrl, m.id), display: m.displayName, type: "User" })) } : {}),
    meta: {
      resourceType: "Group",
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: groupLocation(baseUrl, row.id),
      version: etagOf(row.version),
    },
  };
}
