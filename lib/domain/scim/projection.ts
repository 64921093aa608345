import { filter as matcher, type Compare, type Suffix } from "scim2-parse-filter";
import { parseFilter, type Filter } from "./filter-parse";
import { isPlainObject, type ScimResource } from "./normalize";
import { findSub, resolveAttribute, type AttrDef, type ResourceKind } from "./schema-definitions";

/** One entry of `attributes=` / `excludedAttributes=` (RFC 7644 §3.4.2.5), resolved against the schema. */
export interface Selector {
  extension: string | null;
  def: AttrDef;
  sub?: AttrDef;
  /** Lenient: `emails[type eq "work"]` keeps only the matching values, as Microsoft's clients expect. */
  filter?: Filter;
}

export interface Projection {
  attributes: Selector[] | null;
  excluded: Selector[];
}

/** Splits on commas that are outside quotes and brackets. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Rewrites sub-attribute names in a value filter to their canonical case, so matching is case-insensitive. */
function canonicalFilter(filter: Filter, parent: AttrDef): Filter | null {
  if (filter.op === "and" || filter.op === "or") {
    const filters = filter.filters.map((f) => canonicalFilter(f, parent));
    return filters.every(Boolean) ? { op: filter.op, filters: filters as Filter[] } : null;
  }
  if (filter.op === "not") {
    const inner = canonicalFilter(filter.filter, parent);
    return inner ? { op: "not", filter: inner } : null;
  }
  if (filter.op === "[]") return null;
  const leaf = filter as Compare | Suffix;
  const sub = findSub(parent, leaf.attrPath);
  return sub ? { ...leaf, attrPath: sub.name } : null;
}

export function parseSelector(kind: ResourceKind, text: string): Selector | null {
  const found = resolveAttribute(kind, text.trim());
  if (!found) return null;
  const { attr, rest } = found;
  const match = /^(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s.exec(rest);
  if (!match) return null;
  const selector: Selector = { extension: attr.extension, def: attr.def };
  if (match[2]) {
    selector.sub = findSub(attr.def, match[2]);
    if (!selector.sub) return null;
  }
  if (match[1] !== undefined) {
    if (!attr.def.multiValued) return null;
    try {
      selector.filter = canonicalFilter(parseFilter(match[1]), attr.def) ?? undefined;
    } catch {
      return null;
    }
    if (!selector.filter) return null;
  }
  return selector;
}

/** Unknown names are ignored rather than refused: a projection never changes what exists. */
export function parseProjection(kind: ResourceKind, attributes?: string | string[] | null, excluded?: string | string[] | null): Projection {
  const read = (value: string | string[] | null | undefined) =>
    (Array.isArray(value) ? value.flatMap(splitList) : value ? splitList(value) : []).map((t) => parseSelector(kind, t)).filter((s): s is Selector => s !== null);
  const selected = read(attributes);
  return { attributes: attributes && (Array.isArray(attributes) ? attributes.length > 0 : attributes.trim() !== "") ? selected : null, excluded: read(excluded) };
}

/** Whether the projection returns a top-level attribute (lets the service skip loading members). */
export function returnsAttribute(projection: Projection, name: string): boolean {
  if (projection.excluded.some((s) => s.def.name === name && !s.sub && !s.extension)) return false;
  return projection.attributes === null || projection.attributes.some((s) => s.def.name === name && !s.extension);
}

function merge(into: unknown, value: unknown): unknown {
  if (Array.isArray(into) && Array.isArray(value) && into.length === value.length) return into.map((item, i) => merge(item, value[i]));
  if (isPlainObject(into) && isPlainObject(value)) return { ...into, ...value };
  return value;
}

function select(container: Record<string, unknown>, s: Selector): unknown {
  let value = container[s.def.name];
  if (value === undefined) return undefined;
  if (s.filter && Array.isArray(value)) {
    const test = matcher(s.filter);
    value = value.filter((item) => isPlainObject(item) && test(item));
  }
  if (!s.sub) return value;
  const pick = (item: unknown) => (isPlainObject(item) && item[s.sub!.name] !== undefined ? { [s.sub!.name]: item[s.sub!.name] } : undefined);
  if (Array.isArray(value)) return value.map(pick).filter((v) => v !== undefined);
  return pick(value);
}

function withoutSelected(container: Record<string, unknown>, s: Selector) {
  if (!s.sub) {
    delete container[s.def.name];
    return;
  }
  const strip = (item: unknown) => {
    if (isPlainObject(item)) delete item[s.sub!.name];
  };
  const value = container[s.def.name];
  if (Array.isArray(value)) value.forEach(strip);
  else strip(value);
}

/** Applies `attributes` / `excludedAttributes`; `id` and `schemas` are always returned (RFC 7643 §7). */
export function project(resource: ScimResource, projection: Projection): ScimResource {
  let out: ScimResource;
  if (projection.attributes) {
    out = { schemas: resource.schemas, id: resource.id };
    for (const s of projection.attributes) {
      const source = s.extension ? resource[s.extension] : resource;
      if (!isPlainObject(source)) continue;
      const value = select(source, s);
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      const target = s.extension ? (((out[s.extension] as Record<string, unknown> | undefined) ?? (out[s.extension] = {})) as Record<string, unknown>) : out;
      target[s.def.name] = target[s.def.name] === undefined ? value : merge(target[s.def.name], value);
    }
  } else {
    out = structuredClone(resource);
  }
  for (const s of projection.excluded) {
    if (s.def.returned === "always") continue;
    const container = s.extension ? out[s.extension] : out;
    if (isPlainObject(container)) withoutSelected(container, s);
    if (s.extension && isPlainObject(out[s.extension]) && Object.keys(out[s.extension] as object).length === 0) delete out[s.extension];
  }
  return out;
}
