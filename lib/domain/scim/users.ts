import type { Executor } from "@/db/client";
import { deleteSessionsOf, insertLifecycleEvent } from "@/db/queries/identities";
import {
  claimEmail,
  countScimUsers,
  endMemberships,
  findScimApplication,
  findScimUserIds,
  findUserNameHolder,
  getScimUser,
  insertScimUser,
  listScimUsers,
  lockGroupsOfMember,
  lockScimKey,
  touchGroups,
  updateScimUser,
  userFilterContext,
  type ScimUserRow,
} from "@/db/queries/scim";
import type { Deps } from "@/lib/domain/deps";
import { pageOf, writeAudits, type ListInput, type ScimAudit, type ScimPrincipal } from "./context";
import { ScimError, notFound } from "./errors";
import { checkIfMatch } from "./etag";
import { parseFilter } from "./filter-parse";
import { compileFilter, isUuid } from "./filter-sql";
import { normalizeResource, type ScimResource } from "./normalize";
import { applyPatch, parsePatchRequest } from "./patch";
import { currentUserDocument, userFacts, type UserFacts } from "./user-mapping";

type LifecycleKind = "joiner" | "mover" | "leaver" | "reactivation";
type Changes = Record<string, { from: unknown; to: unknown }>;

/** What the audit trail keeps of a User: the attributes Accord models, not the whole (personal) document. */
function summary(row: Pick<ScimUserRow, "userName" | "displayName" | "status" | "title" | "department" | "employeeNumber" | "managerId" | "email">) {
  const { userName, displayName, status, title, department, employeeNumber, managerId, email } = row;
  return { userName, displayName, status, title, department, employeeNumber, managerId, email };
}

const same = (a: ScimResource, b: ScimResource) => JSON.stringify(a) === JSON.stringify(b);

async function lockUserName(tx: Executor, principal: ScimPrincipal, userName: string, exceptId?: string) {
  await lockScimKey(tx, { key: `scim-user:${principal.source}:${userName.toLowerCase()}` });
  if (await findUserNameHolder(tx, { source: principal.source, userName, exceptId })) {
    throw new ScimError(409, `A User with userName '${userName}' already exists.`, "uniqueness");
  }
}

/** A manager is linked only when the reference names another live User of the same source. */
async function resolveManager(tx: Executor, principal: ScimPrincipal, ref: string | null, selfId?: string): Promise<string | null> {
  if (!ref || !isUuid(ref) || ref.toLowerCase() === selfId) return null;
  const [found] = await findScimUserIds(tx, { source: principal.source, ids: [ref.toLowerCase()] });
  return found ?? null;
}

async function lifecycle(tx: Executor, principal: ScimPrincipal, identityId: string, kind: LifecycleKind, changes: Changes, at: Date) {
  await insertLifecycleEvent(tx, { identityId, kind, source: principal.source, changes, occurredAt: at });
}

export async function listUsers(deps: Deps, principal: ScimPrincipal, input: ListInput) {
  const where = input.filter ? compileFilter(parseFilter(input.filter), userFilterContext) : undefined;
  const page = pageOf(input);
  const [total, rows] = await Promise.all([
    countScimUsers(deps.db, { source: principal.source, where }),
    listScimUsers(deps.db, { source: principal.source, where, offset: page.offset, limit: page.limit }),
  ]);
  return { total, startIndex: page.startIndex, rows };
}

/** Ids that are not UUIDs name nothing: 404 without asking the database. */
export async function getUser(deps: Deps, principal: ScimPrincipal, input: { id: string }): Promise<ScimUserRow> {
  const row = isUuid(input.id) ? await getScimUser(deps.db, { source: principal.source, id: input.id.toLowerCase() }) : null;
  if (!row) throw notFound("User");
  return row;
}

export async function createUser(deps: Deps, principal: ScimPrincipal, input: { body: unknown }): Promise<ScimUserRow> {
  const { resource } = normalizeResource("User", input.body);
  const facts = userFacts(resource);
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    await lockUserName(tx, principal, facts.userName);
    const status = facts.active === false ? "leaver" : "active";
    const row = await insertScimUser(tx, {
      source: principal.source,
      kind: "human",
      type: facts.type,
      displayName: facts.displayName,
      userName: facts.userName,
      status,
      title: facts.title,
      department: facts.department,
      employeeNumber: facts.employeeNumber,
      managerId: await resolveManager(tx, principal, facts.managerRef),
      scimResource: resource,
      leftAt: status === "leaver" ? at : null,
      createdAt: at,
      updatedAt: at,
    });
    const email = await claimEmail(tx, { identityId: row.id, email: facts.email });
    await lifecycle(tx, principal, row.id, "joiner", { userName: { from: null, to: facts.userName }, status: { from: null, to: status } }, at);
    await writeAudits(tx, principal, [{ action: "scim.user.created", entityType: "identity", entityId: row.id, after: summary({ ...row, email }), at }]);
    return { ...row, email };
  });
}

/** Writes a User's new document: columns, status and mover events, email, sessions, audit. */
async function saveUser(tx: Executor, principal: ScimPrincipal, current: ScimUserRow, resource: ScimResource, action: string, at: Date): Promise<ScimUserRow> {
  const facts: UserFacts = userFacts(resource);
  if (facts.userName.toLowerCase() !== (current.userName ?? "").toLowerCase()) await lockUserName(tx, principal, facts.userName, current.id);
  const managerId = await resolveManager(tx, principal, facts.managerRef, current.id);

  const events: { kind: LifecycleKind; changes: Changes }[] = [];
  let status = current.status;
  let leftAt: Date | null | undefined;
  // An admin's suspension is Accord's own: active=true does not lift it; active=false still makes a leaver.
  if (facts.active === false && current.status !== "leaver") [status, leftAt] = ["leaver", at];
  if (facts.active === true && current.status === "leaver") [status, leftAt] = ["active", null];
  if (status !== current.status) events.push({ kind: status === "leaver" ? "leaver" : "reactivation", changes: { status: { from: current.status, to: status } } });
  const moved: Changes = {};
  if (facts.department !== current.department) moved.department = { from: current.department, to: facts.department };
  if (facts.title !== current.title) moved.title = { from: current.title, to: facts.title };
  if (managerId !== current.managerId) moved.managerId = { from: current.managerId, to: managerId };
  if (Object.keys(moved).length > 0) events.push({ kind: "mover", changes: moved });

  const row = await updateScimUser(tx, {
    id: current.id,
    values: {
      userName: facts.userName,
      displayName: facts.displayName,
      type: facts.type,
      status,
      leftAt,
      title: facts.title,
      department: facts.department,
      employeeNumber: facts.employeeNumber,
      managerId,
      scimResource: resource,
    },
    at,
  });
  const email = (facts.email ?? "").toLowerCase() === (current.email ?? "").toLowerCase() ? current.email : await claimEmail(tx, { identityId: current.id, email: facts.email });
  for (const event of events) await lifecycle(tx, principal, current.id, event.kind, event.changes, at);
  const sessionsEnded = status === "leaver" && current.status !== "leaver" ? await deleteSessionsOf(tx, { identityId: current.id }) : 0;
  await writeAudits(tx, principal, [{ action, entityType: "identity", entityId: current.id, before: summary(current), after: { ...summary({ ...row, email }), sessionsEnded }, at }]);
  return { ...row, email };
}

async function lockUser(tx: Executor, principal: ScimPrincipal, id: string, ifMatch: string | null | undefined): Promise<ScimUserRow> {
  const current = isUuid(id) ? await getScimUser(tx, { source: principal.source, id: id.toLowerCase(), lock: true }) : null;
  if (!current) throw notFound("User");
  checkIfMatch(ifMatch, current.version);
  return current;
}

/** PUT (RFC 7644 §3.5.1): the document replaces the User's attributes; ones left out are cleared. */
export async function replaceUser(deps: Deps, principal: ScimPrincipal, input: { id: string; body: unknown; ifMatch?: string | null }): Promise<ScimUserRow> {
  const { resource } = normalizeResource("User", input.body);
  userFacts(resource);
  return deps.db.transaction(async (tx) => {
    const current = await lockUser(tx, principal, input.id, input.ifMatch);
    if (same(resource, normalizeResource("User", currentUserDocument(current)).resource)) return current;
    return saveUser(tx, principal, current, resource, "scim.user.replaced", deps.now());
  });
}

/** PATCH (RFC 7644 §3.5.2) on the User as Accord holds it; a PATCH that changes nothing writes nothing. */
export async function patchUser(deps: Deps, principal: ScimPrincipal, input: { id: string; body: unknown; ifMatch?: string | null }): Promise<ScimUserRow> {
  const ops = parsePatchRequest(input.body);
  return deps.db.transaction(async (tx) => {
    const current = await lockUser(tx, principal, input.id, input.ifMatch);
    const before = normalizeResource("User", currentUserDocument(current)).resource;
    const after = applyPatch("User", before, ops);
    if (same(after, before)) return current;
    return saveUser(tx, principal, current, after, "scim.user.patched", deps.now());
  });
}

/**
 * DELETE never removes the identity (evidence points at it): it becomes a leaver, leaves the
 * source's groups, loses its email (so a re-created account can take it) and is no longer a
 * SCIM resource (404 from now on).
 */
export async function deleteUser(deps: Deps, principal: ScimPrincipal, input: { id: string; ifMatch?: string | null }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const current = await lockUser(tx, principal, input.id, input.ifMatch);
    const at = deps.now();
    const applicationId = await findScimApplication(tx, { source: principal.source });
    let groupsLeft: string[] = [];
    if (applicationId) {
      // Group rows are locked before grant rows, the order group writes use, so the two never deadlock.
      await lockGroupsOfMember(tx, { applicationId, identityId: current.id });
      const ended = await endMemberships(tx, { source: principal.source, identityId: current.id, applicationId, at });
      groupsLeft = [...new Set(ended.map((e) => e.entitlementId))];
      await touchGroups(tx, { ids: groupsLeft, at });
    }
    await updateScimUser(tx, { id: current.id, values: { status: "leaver", leftAt: current.status === "leaver" ? undefined : at, scimResource: null, email: null }, at });
    if (current.status !== "leaver") await lifecycle(tx, principal, current.id, "leaver", { status: { from: current.status, to: "leaver" } }, at);
    const sessionsEnded = await deleteSessionsOf(tx, { identityId: current.id });
    const audits: ScimAudit[] = [
      { action: "scim.user.deleted", entityType: "identity", entityId: current.id, before: summary(current), after: { status: "leaver", email: null, groupsLeft, sessionsEnded }, at },
    ];
    await writeAudits(tx, principal, audits);
  });
}
