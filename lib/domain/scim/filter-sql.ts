import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { invalidFilter } from "./errors";
import type { Filter } from "./filter-parse";
import { findSub, resolveAttribute, type AttrDef, type ResourceKind } from "./schema-definitions";

/**
 * Compiles a parsed SCIM filter to a SQL condition, so filtering and paging happen in the
 * database. Attributes Accord models map to columns; the rest are read from the stored resource
 * (jsonb). Comparisons stay plain SQL (so indexes apply; NULL is no match in WHERE) and every negation is
 * two-valued (not coalesce(..., false)) so `not` and `ne` behave as
 * SCIM expects for unassigned attributes.
 */
export type ColumnType = "string" | "uuid" | "dateTime" | "active" | "booleanText";

export interface ColumnSpec {
  expr: SQL | AnyColumn;
  type: ColumnType;
  caseExact?: boolean;
}

/** A multi-valued attribute answered by a subquery: `exists(...)` over rows with sub-attribute columns. */
export interface ElementSource {
  exists: (condition: SQL) => SQL;
  column: (sub: AttrDef) => ColumnSpec | null;
}

export interface FilterContext {
  kind: ResourceKind;
  /** Canonical path ("userName", "meta.created", "urn:...:User:department") -> column. */
  columns: Record<string, ColumnSpec>;
  /** The jsonb column holding the resource, for attributes without a column. */
  document?: SQL | AnyColumn;
  /** Multi-valued attributes kept outside the document (a Group's members). */
  elements?: Record<string, ElementSource>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const TRUE = sql`true`;
const FALSE = sql`false`;

type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le" | "pr";
type CompValue = string | number | boolean | null | undefined;

/** NOT of a comparison that may be unknown (NULL): an absent attribute does not match, so NOT of it does. */
function negate(condition: SQL): SQL {
  return sql`not coalesce(${condition}, false)`;
}

/** A positive comparison, parenthesised; left three-valued so PostgreSQL can use an index for it. */
function two(condition: SQL): SQL {
  return condition;
}

function present(column: ColumnSpec): SQL {
  return sql`(${column.expr} is not null)`;
}

function stringValue(value: CompValue, attribute: string): string {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") throw invalidFilter(`Compare '${attribute}' with a string.`);
  return value;
}

function booleanValue(value: CompValue, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw invalidFilter(`Compare '${attribute}' with true or false.`);
}

function compareText(expr: SQL | AnyColumn, op: CompareOp, raw: string, caseExact: boolean): SQL {
  const left = caseExact ? sql`${expr}` : sql`lower(${expr})`;
  const like = (pattern: string) => two(caseExact ? sql`${left} like ${pattern}` : sql`${left} like lower(${pattern})`);
  const right = caseExact ? sql`${raw}::text` : sql`lower(${raw}::text)`;
  switch (op) {
    case "eq":
      return two(sql`${left} = ${right}`);
    case "ne":
      return negate(sql`${left} = ${right}`);
    case "co":
      return like(`%${escapeLike(raw)}%`);
    case "sw":
      return like(`${escapeLike(raw)}%`);
    case "ew":
      return like(`%${escapeLike(raw)}`);
    case "gt":
      return two(sql`${left} > ${right}`);
    case "ge":
      return two(sql`${left} >= ${right}`);
    case "lt":
      return two(sql`${left} < ${right}`);
    default:
      return two(sql`${left} <= ${right}`);
  }
}

const ORDER = { gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=`, eq: sql`=`, ne: sql`<>` } as const;

export function compileColumn(column: ColumnSpec, op: CompareOp, value: CompValue, attribute: string): SQL {
  if (op === "pr") return column.type === "active" ? TRUE : present(column);
  // "x eq null" asks for an unassigned attribute, "x ne null" for an assigned one.
  if (value === null && (op === "eq" || op === "ne")) return op === "eq" ? sql`not ${present(column)}` : present(column);
  switch (column.type) {
    case "active": {
      if (op !== "eq" && op !== "ne") throw invalidFilter(`'${attribute}' supports only eq, ne and pr.`);
      const wanted = booleanValue(value, attribute) === (op === "eq");
      return wanted ? sql`(${column.expr} <> 'leaver')` : sql`(${column.expr} = 'leaver')`;
    }
    case "booleanText": {
      if (op !== "eq" && op !== "ne") throw invalidFilter(`'${attribute}' supports only eq, ne and pr.`);
      const wanted = String(booleanValue(value, attribute));
      return op === "eq" ? two(sql`${column.expr} = ${wanted}`) : negate(sql`${column.expr} = ${wanted}`);
    }
    case "dateTime": {
      if (op === "co" || op === "sw" || op === "ew") throw invalidFilter(`'${attribute}' is a dateTime: use eq, ne, gt, ge, lt, le or pr.`);
      const text = stringValue(value, attribute);
      const at = new Date(text);
      if (Number.isNaN(at.getTime())) throw invalidFilter(`'${text}' is not a dateTime.`);
      return two(sql`${column.expr} ${ORDER[op]} ${at.toISOString()}::timestamptz`);
    }
    case "uuid": {
      const text = stringValue(value, attribute);
      // Equality uses the index; a value that is not a UUID cannot match and must not reach a ::uuid cast.
      if (op === "eq" || op === "ne") {
        if (!isUuid(text)) return op === "eq" ? FALSE : TRUE;
        return op === "eq" ? two(sql`${column.expr} = ${text.toLowerCase()}::uuid`) : negate(sql`${column.expr} = ${text.toLowerCase()}::uuid`);
      }
      return compareText(sql`${column.expr}::text`, op, text, false);
    }
    default:
      return compareText(column.expr, op, stringValue(value, attribute), column.caseExact ?? false);
  }
}

function jsonElements(document: SQL | AnyColumn, path: SQL): ElementSource {
  const array = sql`(${document}${path})`;
  return {
    exists: (condition) => sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${array}) = 'array' then ${array} else '[]'::jsonb end) as e(v) where ${condition})`,
    column: (sub) => ({ expr: sql`(e.v->>${sub.name}::text)`, type: sub.type === "boolean" ? "booleanText" : "string", caseExact: sub.caseExact }),
  };
}

/** A value filter (`emails[type eq "work"]`, `members[value eq "..."]`) over one element source. */
export function compileValueFilter(filter: Filter, parent: AttrDef, source: ElementSource): SQL {
  switch (filter.op) {
    case "and":
    case "or":
      return sql`(${sql.join(
        filter.filters.map((f) => compileValueFilter(f, parent, source)),
        sql` ${sql.raw(filter.op)} `,
      )})`;
    case "not":
      return negate(compileValueFilter(filter.filter, parent, source));
    case "[]":
      throw invalidFilter("A value filter cannot contain another value filter.");
    default: {
      const name = filter.attrPath.toLowerCase().startsWith(`${parent.name.toLowerCase()}.`) ? filter.attrPath.slice(parent.name.length + 1) : filter.attrPath;
      const sub = findSub(parent, name);
      const column = sub ? source.column(sub) : null;
      if (!sub || !column) throw invalidFilter(`'${filter.attrPath}' is not a sub-attribute of '${parent.name}'.`);
      return compileColumn(column, filter.op, "compValue" in filter ? filter.compValue : undefined, `${parent.name}.${sub.name}`);
    }
  }
}

function resolve(ctx: FilterContext, attrPath: string) {
  const found = resolveAttribute(ctx.kind, attrPath);
  if (!found) throw invalidFilter(`Unknown attribute '${attrPath}'.`);
  const { attr, rest } = found;
  if (attr.def.returned === "never") throw invalidFilter(`'${attr.def.name}' cannot be filtered on.`);
  let sub: AttrDef | undefined;
  if (rest !== "") {
    const match = /^\.([A-Za-z$][\w$-]*)$/.exec(rest);
    sub = match ? findSub(attr.def, match[1]!) : undefined;
    if (!sub) throw invalidFilter(`Unknown attribute '${attrPath}'.`);
  }
  const key = `${attr.extension ? `${attr.extension}:` : ""}${attr.def.name}${sub ? `.${sub.name}` : ""}`;
  return { ...attr, sub, key };
}

function elementSource(ctx: FilterContext, extension: string | null, def: AttrDef): ElementSource {
  const special = ctx.elements?.[def.name];
  if (special) return special;
  if (!ctx.document) throw invalidFilter(`'${def.name}' cannot be filtered on.`);
  return jsonElements(ctx.document, extension ? sql`->${extension}::text->${def.name}::text` : sql`->${def.name}::text`);
}

function documentColumn(ctx: FilterContext, extension: string | null, def: AttrDef, sub: AttrDef | undefined): ColumnSpec {
  if (!ctx.document) throw invalidFilter(`'${def.name}' cannot be filtered on.`);
  const base = extension ? sql`${ctx.document}->${extension}::text` : sql`${ctx.document}`;
  const leaf = sub ?? def;
  const expr = sub ? sql`(${base}->${def.name}::text->>${sub.name}::text)` : sql`(${base}->>${def.name}::text)`;
  return { expr, type: leaf.type === "boolean" ? "booleanText" : "string", caseExact: leaf.caseExact };
}

export function compileFilter(filter: Filter, ctx: FilterContext): SQL {
  switch (filter.op) {
    case "and":
    case "or":
      return sql`(${sql.join(
        filter.filters.map((f) => compileFilter(f, ctx)),
        sql` ${sql.raw(filter.op)} `,
      )})`;
    case "not":
      return negate(compileFilter(filter.filter, ctx));
    case "[]": {
      const { extension, def, sub } = resolve(ctx, filter.attrPath);
      if (def.type !== "complex" || !def.multiValued || sub) throw invalidFilter(`'${filter.attrPath}' is not a multi-valued complex attribute.`);
      const source = elementSource(ctx, extension, def);
      return source.exists(compileValueFilter(filter.valFilter, def, source));
    }
    default: {
      const { extension, def, sub, key } = resolve(ctx, filter.attrPath);
      const value = "compValue" in filter ? filter.compValue : undefined;
      const column = ctx.columns[key];
      if (column) return compileColumn(column, filter.op, value, key);
      if (def.type === "complex" && def.multiValued) {
        // RFC 7644 §3.4.2.2: a multi-valued attribute without a sub-attribute filters on its "value".
        const leaf = sub ?? findSub(def, "value");
        if (!leaf) throw invalidFilter(`Name a sub-attribute of '${def.name}'.`);
        const source = elementSource(ctx, extension, def);
        const elementColumn = source.column(leaf);
        if (!elementColumn) throw invalidFilter(`'${def.name}.${leaf.name}' cannot be filtered on.`);
        return source.exists(compileColumn(elementColumn, filter.op, value, `${def.name}.${leaf.name}`));
      }
      if (def.type === "complex" && !sub) {
        if (filter.op !== "pr" || !ctx.document) throw invalidFilter(`Name a sub-attribute of '${def.name}'.`);
        return present({ expr: extension ? sql`(${ctx.document}->${extension}::text->${def.name}::text)` : sql`(${ctx.document}->${def.name}::text)`, type: "string" });
      }
      return compileColumn(documentColumn(ctx, extension, def, sub), filter.op, value, key);
    }
  }
}
