import { invalidSyntax, invalidValue } from "./errors";
import { CORE_SCHEMA, EXTENSIONS, findSub, resolveAttribute, schemaById, type AttrDef, type ResourceKind } from "./schema-definitions";

/** A stored SCIM resource: canonical attribute names, known attributes only, no nulls. */
export type ScimResource = Record<string, unknown>;

const MAX_STRING = 8_192;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function coerceBoolean(value: unknown, path: string): boolean {
  if (typeof value === "boolean") return value;
  // Entra ID sends "True"/"False" as strings; RFC 7643 §2.3.2 booleans, read leniently.
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidValue(`'${path}' must be a boolean.`);
}

function coerceString(def: AttrDef, value: unknown, path: string): string {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string") throw invalidValue(`'${path}' must be a string.`);
  if (text.length > MAX_STRING) throw invalidValue(`'${path}' is longer than ${MAX_STRING} characters.`);
  if (def.type === "dateTime" && Number.isNaN(Date.parse(text))) throw invalidValue(`'${path}' must be an xsd:dateTime.`);
  return text;
}

function normalizeSingle(def: AttrDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case "boolean":
      return coerceBoolean(value, path);
    case "complex": {
      // Entra ID writes the enterprise manager as a bare id string.
      if (def.name === "manager" && typeof value === "string") value = { value };
      if (!isPlainObject(value)) throw invalidValue(`'${path}' must be an object.`);
      const out: Record<string, unknown> = {};
      for (const [key, raw] of Object.entries(value)) {
        const sub = findSub(def, key);
        if (!sub || sub.mutability === "readOnly") continue;
        const normalized = normalizeSingle(sub, raw, `${path}.${sub.name}`);
        if (normalized !== undefined) out[sub.name] = normalized;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    default:
      return coerceString(def, value, path);
  }
}

export function normalizeValue(def: AttrDef, value: unknown, path: string = def.name): unknown {
  if (value === null || value === undefined) return undefined;
  if (!def.multiValued) return normalizeSingle(def, value, path);
  const items = (Array.isArray(value) ? value : [value]).map((item) => normalizeSingle(def, item, path)).filter((item) => item !== undefined);
  return items.length > 0 ? items : undefined;
}

function orderedBy(defs: AttrDef[], values: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) if (values.has(def.name)) out[def.name] = values.get(def.name);
  return out;
}

/**
 * Reads a client's resource: attribute names matched case-insensitively, unknown and
 * read-only attributes dropped (RFC 7644 §3.3), `password` never kept, values type-checked.
 * For Groups, `members` is returned apart: memberships are grants, not part of the document.
 */
export function normalizeResource(kind: ResourceKind, input: unknown): { resource: ScimResource; members?: unknown } {
  if (!isPlainObject(input)) throw invalidSyntax("The request body must be a JSON object.");
  const core = new Map<string, unknown>();
  const extensions = new Map<string, Map<string, unknown>>();
  let members: unknown;

  const put = (extension: string | null, def: AttrDef, raw: unknown) => {
    if (def.mutability === "readOnly" || def.mutability === "writeOnly") return;
    if (kind === "Group" && def.name === "members") {
      members = raw;
      return;
    }
    const value = normalizeValue(def, raw, extension ? `${extension}:${def.name}` : def.name);
    const target = extension ? (extensions.get(extension) ?? extensions.set(extension, new Map()).get(extension)!) : core;
    if (value === undefined) target.delete(def.name);
    else target.set(def.name, value);
  };

  for (const [key, raw] of Object.entries(input)) {
    const extension = EXTENSIONS[kind].find((id) => id.toLowerCase() === key.toLowerCase());
    if (extension) {
      if (raw === null) continue;
      if (!isPlainObject(raw)) throw invalidValue(`'${extension}' must be an object.`);
      for (const [subKey, subRaw] of Object.entries(raw)) {
        const resolved = resolveAttribute(kind, `${extension}:${subKey}`);
        if (resolved && resolved.rest === "") put(resolved.attr.extension, resolved.attr.def, subRaw);
      }
      continue;
    }
    if (key.toLowerCase() === "schemas") continue;
    const resolved = resolveAttribute(kind, key);
    if (resolved && resolved.rest === "") put(resolved.attr.extension, resolved.attr.def, raw);
  }

  const coreSchema = schemaById(CORE_SCHEMA[kind])!;
  const common = core.has("externalId") ? { externalId: core.get("externalId") } : {};
  const resource: ScimResource = { ...common, ...orderedBy(coreSchema.attributes, core) };
  for (const id of EXTENSIONS[kind]) {
    const values = extensions.get(id);
    if (values && values.size > 0) resource[id] = orderedBy(schemaById(id)!.attributes, values);
  }
  return { resource, members };
}

/** The schemas a stored resource declares: its core schema and each extension it uses. */
export function schemasOf(kind: ResourceKind, resource: ScimResource): string[] {
  return [CORE_SCHEMA[kind], ...EXTENSIONS[kind].filter((id) => isPlainObject(resource[id]))];
}

/** A required string attribute, trimmed; missing or blank is 400 invalidValue. */
export function requiredString(resource: ScimResource, name: string): string {
  const value = resource[name];
  if (typeof value !== "string" || value.trim() === "") throw invalidValue(`'${name}' is required.`);
  return value.trim();
}
