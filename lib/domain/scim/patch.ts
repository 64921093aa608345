import { scimPatch, type ScimPatchOperation } from "scim-patch";
import { invalidPath, invalidSyntax, invalidValue, ScimError } from "./errors";
import { stringifyFilter, type Filter } from "./filter-parse";
import { isPlainObject, normalizeResource, type ScimResource } from "./normalize";
import { parseSelector } from "./projection";
import { EXTENSIONS, PATCH_SCHEMA, type AttrDef, type ResourceKind } from "./schema-definitions";

export interface PatchOp {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

const MAX_OPERATIONS = 1_000;
const MAX_DEPTH = 8;
const READ_ONLY_KEYS = new Set(["schemas", "id", "meta"]);

/** Looks a key up case-insensitively (RFC 7644 treats "Operations" and "operations" alike). */
function field(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function hasField(object: Record<string, unknown>, name: string): boolean {
  return Object.keys(object).some((k) => k.toLowerCase() === name.toLowerCase());
}

/** A copy of client JSON without prototype-bearing keys, bounded in depth, safe to hand to scim-patch. */
export function plainJson(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw invalidValue("The value nests too deeply.");
  if (Array.isArray(value)) return value.map((v) => plainJson(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "__proto__" && k !== "constructor" && k !== "prototype") out[k] = plainJson(v, depth + 1);
  return out;
}

/** Reads a PatchOp request (RFC 7644 §3.5.2): op names case-insensitive, `remove` needs a path. */
export function parsePatchRequest(body: unknown): PatchOp[] {
  if (!isPlainObject(body)) throw invalidSyntax("The request body must be a JSON object.");
  const schemas = field(body, "schemas");
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_SCHEMA.toLowerCase()))) {
    throw invalidSyntax(`A PATCH body declares the schema ${PATCH_SCHEMA}.`);
  }
  const operations = field(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("'Operations' must be a non-empty array.");
  if (operations.length > MAX_OPERATIONS) throw new ScimError(400, `At most ${MAX_OPERATIONS} operations per request.`, "tooMany");
  return operations.map((raw) => {
    if (!isPlainObject(raw)) throw invalidSyntax("Each operation must be an object.");
    const op = field(raw, "op");
    const path = field(raw, "path");
    if (typeof op !== "string" || !/^(add|remove|replace)$/i.test(op)) throw invalidSyntax("'op' must be add, remove or replace.");
    if (path !== undefined && path !== null && (typeof path !== "string" || path.trim() === "")) throw invalidPath("'path' must be a non-empty string.");
    const lower = op.toLowerCase() as PatchOp["op"];
    if (lower === "remove" && (path === undefined || path === null)) throw new ScimError(400, "A remove operation needs a 'path'.", "noTarget");
    if (lower !== "remove" && !hasField(raw, "value")) throw invalidValue(`The ${lower} operation needs a 'value'.`);
    const value = field(raw, "value");
    return { op: lower, ...(typeof path === "string" ? { path: path.trim() } : {}), ...(value !== undefined ? { value: plainJson(value) } : {}) };
  });
}

export interface TargetPath {
  extension: string | null;
  def: AttrDef;
  sub?: AttrDef;
  filter?: Filter;
}

/** A PATCH path against the schema, case-insensitively; unknown attributes are 400 invalidPath. */
export function parseTargetPath(kind: ResourceKind, path: string): TargetPath {
  const selector = parseSelector(kind, path);
  if (!selector) throw invalidPath(`'${path.slice(0, 200)}' is not a path to a known attribute.`);
  if (selector.def.mutability === "readOnly" || selector.sub?.mutability === "readOnly") {
    throw new ScimError(400, `'${path.slice(0, 200)}' is read-only.`, "mutability");
  }
  return selector;
}

/** The canonical text of a path, as scim-patch reads it. */
export function pathText(target: TargetPath): string {
  const filter = target.filter ? `[${stringifyFilter(target.filter)}]` : "";
  return `${target.extension ? `${target.extension}:` : ""}${target.def.name}${filter}${target.sub ? `.${target.sub.name}` : ""}`;
}

/**
 * A path-less add/replace names attributes as the keys of its value (RFC 7644 §3.5.2.1);
 * each becomes an operation with a path, so every name goes through the schema.
 */
export function expandPathless(kind: ResourceKind, op: PatchOp): { target: TargetPath; value: unknown }[] {
  if (!isPlainObject(op.value)) throw invalidValue(`A ${op.op} without a path takes an object of attributes.`);
  const out: { target: TargetPath; value: unknown }[] = [];
  for (const [key, value] of Object.entries(op.value)) {
    if (READ_ONLY_KEYS.has(key.toLowerCase())) continue;
    const extension = EXTENSIONS[kind].find((id) => id.toLowerCase() === key.toLowerCase());
    if (extension) {
      if (!isPlainObject(value)) throw invalidValue(`'${extension}' must be an object.`);
      for (const [subKey, subValue] of Object.entries(value)) out.push({ target: parseTargetPath(kind, `${extension}:${subKey}`), value: subValue });
    } else {
      out.push({ target: parseTargetPath(kind, key), value });
    }
  }
  return out;
}

/** Applies operations to a stored resource with scim-patch and reads the result back through the schema. */
export function applyPatch(kind: ResourceKind, current: ScimResource, ops: PatchOp[]): ScimResource {
  const operations: ScimPatchOperation[] = ops.flatMap((op) => {
    if (op.path === undefined) return expandPathless(kind, op).map(({ target, value }) => ({ op: op.op, path: pathText(target), value }) as ScimPatchOperation);
    const path = pathText(parseTargetPath(kind, op.path));
    return [(op.op === "remove" ? { op: "remove", path, ...(op.value !== undefined ? { value: op.value } : {}) } : { op: op.op, path, value: op.value }) as ScimPatchOperation];
  });
  let patched: ScimResource;
  try {
    patched = scimPatch(structuredClone(current) as never, operations, { mutateDocument: true, treatMissingAsAdd: true }) as ScimResource;
  } catch (error) {
    if (error instanceof ScimError) throw error;
    const name = error instanceof Error ? error.constructor.name : "";
    if (name === "NoTarget") throw new ScimError(400, "No value matched the path's filter.", "noTarget");
    throw invalidValue(`The operations cannot be applied: ${error instanceof Error ? error.message.slice(0, 200) : "invalid"}.`);
  }
  return normalizeResource(kind, patched).resource;
}

/** The ids in a members value: `[{ "value": "<id>" }, ...]` (a single object is read as a list of one). */
export function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const ids = items.map((item) => {
    const id = isPlainObject(item) ? field(item, "value") : undefined;
    if (typeof id !== "string" || id.trim() === "") throw invalidValue("Each member is an object with the member's id as 'value'.");
    return id.trim();
  });
  return [...new Set(ids)];
}

export type GroupStep =
  | { kind: "attributes"; op: PatchOp }
  | { kind: "addMembers"; ids: string[] }
  | { kind: "removeMembers"; ids: string[] }
  | { kind: "removeMembersWhere"; filter: Filter }
  | { kind: "removeAllMembers" }
  | { kind: "replaceMembers"; ids: string[] };

function memberStep(op: PatchOp["op"], target: TargetPath | null, value: unknown): GroupStep {
  if (target?.sub) throw new ScimError(400, "Members are added or removed whole; their sub-attributes cannot be changed.", "mutability");
  if (target?.filter) {
    if (op !== "remove") throw invalidPath("A members filter is only supported in a remove operation.");
    return { kind: "removeMembersWhere", filter: target.filter };
  }
  if (op === "add") return { kind: "addMembers", ids: memberIds(value) };
  if (op === "replace") return { kind: "replaceMembers", ids: memberIds(value) };
  // Entra ID removes members by listing them in `value`; without one, all members go (RFC 7644 §3.5.2.2).
  return value === undefined ? { kind: "removeAllMembers" } : { kind: "removeMembers", ids: memberIds(value) };
}

/**
 * Splits a Group PATCH into membership steps, applied in SQL (a group may have 100k members;
 * none are loaded), and attribute operations, applied to the stored document.
 */
export function planGroupPatch(ops: PatchOp[]): GroupStep[] {
  return ops.flatMap((op): GroupStep[] => {
    if (op.path === undefined) {
      return expandPathless("Group", op).map(({ target, value }) =>
        target.def.name === "members" ? memberStep(op.op, target, value) : { kind: "attributes", op: { op: op.op, path: pathText(target), value } },
      );
    }
    const target = parseTargetPath("Group", op.path);
    if (target.def.name === "members") return [memberStep(op.op, target, op.value)];
    return [{ kind: "attributes", op: { ...op, path: pathText(target) } }];
  });
}
