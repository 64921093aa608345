import type { Executor } from "@/db/client";
import {
  addMembers,
  countScimGroups,
  deletedGroupName,
  endMemberships,
  findGroupNameHolder,
  findScimApplication,
  findScimUserIds,
  getScimGroup,
  groupFilterContext,
  insertScimApplication,
  insertScimGroup,
  listMembers,
  listScimGroups,
  lockScimKey,
  memberElements,
  updateScimGroup,
  type ScimGroupRow,
} from "@/db/queries/scim";
import type { Deps } from "@/lib/domain/deps";
import { sql, type SQL } from "drizzle-orm";
import { pageOf, writeAudits, type ListInput, type ScimAudit, type ScimPrincipal } from "./context";
import { ScimError, invalidValue, notFound } from "./errors";
import { checkIfMatch } from "./etag";
import { parseFilter } from "./filter-parse";
import { compileFilter, compileValueFilter, isUuid } from "./filter-sql";
import { currentGroupDocument, type GroupMember } from "./group-mapping";
import { normalizeResource, requiredString } from "./normalize";
import { applyPatch, memberIds, parsePatchRequest, planGroupPatch, type GroupStep } from "./patch";
import { resolveAttribute } from "./schema-definitions";

const MEMBERS = resolveAttribute("Group", "members")!.attr.def;
const MAX_NAME = 200;

function groupName(resource: Record<string, unknown>): string {
  const name = requiredString(resource, "displayName");
  if (name.length > MAX_NAME) throw invalidValue(`'displayName' is longer than ${MAX_NAME} characters.`);
  return name;
}

/** The source's application holding its groups, created on first write (audited with that write). */
async function applicationFor(tx: Executor, principal: ScimPrincipal, at: Date, audits: ScimAudit[]): Promise<string> {
  const existing = await findScimApplication(tx, { source: principal.source });
  if (existing) return existing;
  const name = `${principal.token.source} (SCIM)`;
  const created = await insertScimApplication(tx, { source: principal.source, name, at });
  if (created) {
    audits.push({ action: "scim.application.created", entityType: "application", entityId: created, after: { name, source: principal.source }, at });
    return created;
  }
  const raced = await findScimApplication(tx, { source: principal.source });
  if (!raced) throw new ScimError(409, `Another application is already named '${name}'; rename it so this source's groups can be stored.`);
  return raced;
}

async function existingApplication(db: Executor, principal: ScimPrincipal): Promise<string> {
  const id = await findScimApplication(db, { source: principal.source });
  if (!id) throw notFound("Group");
  return id;
}

async function lockGroupName(tx: Executor, applicationId: string, name: string, exceptId?: string) {
  await lockScimKey(tx, { key: `scim-group:${applicationId}:${name}` });
  if (await findGroupNameHolder(tx, { applicationId, name, exceptId })) throw new ScimError(409, `A Group named '${name}' already exists.`, "uniqueness");
}

/** Members must be live Users of the caller's source; anything else (another source's user included) is refused alike. */
async function resolveMembers(tx: Executor, principal: ScimPrincipal, ids: string[]): Promise<string[]> {
  const wanted = ids.map((id) => id.toLowerCase());
  const found = new Set(await findScimUserIds(tx, { source: principal.source, ids: wanted.filter(isUuid) }));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) throw invalidValue(`Not a User of this source: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}.`);
  return wanted;
}

export async function listGroups(deps: Deps, principal: ScimPrincipal, input: ListInput & { withMembers: boolean }) {
  const where = input.filter ? compileFilter(parseFilter(input.filter), groupFilterContext(principal.source)) : undefined;
  const page = pageOf(input);
  const applicationId = await findScimApplication(deps.db, { source: principal.source });
  if (!applicationId) return { total: 0, startIndex: page.startIndex, rows: [] as ScimGroupRow[], members: new Map<string, GroupMember[]>() };
  const [total, rows] = await Promise.all([countScimGroups(deps.db, { applicationId, where }), listScimGroups(deps.db, { applicationId, where, offset: page.offset, limit: page.limit })]);
  return {
    total,
    startIndex: page.startIndex,
    rows,
    members: input.withMembers
      ? await membersOf(
          deps.db,
          principal,
          rows.map((r) => r.id),
        )
      : new Map<string, GroupMember[]>(),
  };
}

async function membersOf(db: Executor, principal: ScimPrincipal, ids: string[]): Promise<Map<string, GroupMember[]>> {
  const out = new Map<string, GroupMember[]>(ids.map((id) => [id, []]));
  for (const m of await listMembers(db, { entitlementIds: ids, source: principal.source })) out.get(m.entitlementId)?.push({ id: m.id, displayName: m.displayName });
  return out;
}

export async function getGroup(deps: Deps, principal: ScimPrincipal, input: { id: string; withMembers: boolean }) {
  const applicationId = await existingApplication(deps.db, principal);
  const row = isUuid(input.id) ? await getScimGroup(deps.db, { applicationId, id: input.id.toLowerCase() }) : null;
  if (!row) throw notFound("Group");
  return { row, members: input.withMembers ? (await membersOf(deps.db, principal, [row.id])).get(row.id)! : null };
}

export async function createGroup(deps: Deps, principal: ScimPrincipal, input: { body: unknown }) {
  const { resource, members } = normalizeResource("Group", input.body);
  const name = groupName(resource);
  const ids = memberIds(members);
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const audits: ScimAudit[] = [];
    const applicationId = await applicationFor(tx, principal, at, audits);
    await lockGroupName(tx, applicationId, name);
    const row = await insertScimGroup(tx, { applicationId, name, scimResource: resource, at });
    const added = await addMembers(tx, { entitlementId: row.id, identityIds: await resolveMembers(tx, principal, ids), at });
    audits.push({ action: "scim.group.created", entityType: "entitlement", entityId: row.id, after: { displayName: name, membersAdded: added }, at });
    await writeAudits(tx, principal, audits);
    return row;
  });
}

async function lockGroup(tx: Executor, principal: ScimPrincipal, id: string, ifMatch: string | null | undefined) {
  const applicationId = await existingApplication(tx, principal);
  const row = isUuid(id) ? await getScimGroup(tx, { applicationId, id: id.toLowerCase(), lock: true }) : null;
  if (!row) throw notFound("Group");
  checkIfMatch(ifMatch, row.version);
  return { applicationId, row };
}

/** Applies membership steps in order, in SQL; returns who was added and who removed. */
async function applyMemberSteps(tx: Executor, principal: ScimPrincipal, entitlementId: string, steps: GroupStep[], at: Date) {
  const added: string[] = [];
  const removed: string[] = [];
  const end = async (members?: string[] | SQL) => {
    for (const e of await endMemberships(tx, { source: principal.source, entitlementId, members, at })) removed.push(e.identityId);
  };
  for (const step of steps) {
    if (step.kind === "addMembers") added.push(...(await addMembers(tx, { entitlementId, identityIds: await resolveMembers(tx, principal, step.ids), at })));
    else if (step.kind === "removeMembers") await end(step.ids.map((id) => id.toLowerCase()).filter(isUuid));
    else if (step.kind === "removeAllMembers") await end();
    else if (step.kind === "removeMembersWhere") await end(compileValueFilter(step.filter, MEMBERS, memberElements(sql`${entitlementId}::uuid`, principal.source)));
    else if (step.kind === "replaceMembers") {
      const ids = await resolveMembers(tx, principal, step.ids);
      await end(ids.length > 0 ? sql`m.id not in ${ids}` : undefined);
      added.push(...(await addMembers(tx, { entitlementId, identityIds: ids, at })));
    }
  }
  return { added, removed };
}

async function saveGroup(
  tx: Executor,
  principal: ScimPrincipal,
  target: { applicationId: string; row: ScimGroupRow },
  resource: Record<string, unknown>,
  steps: GroupStep[],
  action: string,
  at: Date,
) {
  const { applicationId, row } = target;
  const name = groupName(resource);
  if (name !== row.displayName) await lockGroupName(tx, applicationId, name, row.id);
  const { added, removed } = await applyMemberSteps(tx, principal, row.id, steps, at);
  const documentChanged = JSON.stringify(resource) !== JSON.stringify(normalizeResource("Group", currentGroupDocument(row)).resource);
  if (!documentChanged && added.length === 0 && removed.length === 0) return row;
  const saved = await updateScimGroup(tx, { id: row.id, values: { name, scimResource: resource }, at });
  await writeAudits(tx, principal, [
    { action, entityType: "entitlement", entityId: row.id, before: { displayName: row.displayName }, after: { displayName: name, membersAdded: added, membersRemoved: removed }, at },
  ]);
  return saved;
}

/** PUT: the document replaces the group's attributes, and its members become exactly the ones listed. */
export async function replaceGroup(deps: Deps, principal: ScimPrincipal, input: { id: string; body: unknown; ifMatch?: string | null }) {
  const { resource, members } = normalizeResource("Group", input.body);
  groupName(resource);
  const ids = memberIds(members);
  return deps.db.transaction(async (tx) => {
    const target = await lockGroup(tx, principal, input.id, input.ifMatch);
    return saveGroup(tx, principal, target, resource, [{ kind: "replaceMembers", ids }], "scim.group.replaced", deps.now());
  });
}

export async function patchGroup(deps: Deps, principal: ScimPrincipal, input: { id: string; body: unknown; ifMatch?: string | null }) {
  const steps = planGroupPatch(parsePatchRequest(input.body));
  return deps.db.transaction(async (tx) => {
    const target = await lockGroup(tx, principal, input.id, input.ifMatch);
    const attributeOps = steps.flatMap((s) => (s.kind === "attributes" ? [s.op] : []));
    const document = normalizeResource("Group", currentGroupDocument(target.row)).resource;
    const resource = attributeOps.length > 0 ? applyPatch("Group", document, attributeOps) : document;
    return saveGroup(tx, principal, target, resource, steps, "scim.group.patched", deps.now());
  });
}

/** DELETE ends the group's memberships and hides it; the entitlement and its grants stay as history. */
export async function deleteGroup(deps: Deps, principal: ScimPrincipal, input: { id: string; ifMatch?: string | null }) {
  await deps.db.transaction(async (tx) => {
    const { row } = await lockGroup(tx, principal, input.id, input.ifMatch);
    const at = deps.now();
    const ended = await endMemberships(tx, { source: principal.source, entitlementId: row.id, at });
    await updateScimGroup(tx, { id: row.id, values: { name: deletedGroupName, scimResource: null }, at });
    await writeAudits(tx, principal, [
      { action: "scim.group.deleted", entityType: "entitlement", entityId: row.id, before: { displayName: row.displayName }, after: { membersRemoved: ended.map((e) => e.identityId) }, at },
    ]);
  });
}
