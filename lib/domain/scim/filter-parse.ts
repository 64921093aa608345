import { parse, type Filter } from "scim2-parse-filter";
import { invalidFilter, invalidPath } from "./errors";

export type { Filter };

const MAX_FILTER_LENGTH = 4_096;
const MAX_DEPTH = 16;
const MAX_NODES = 64;

// The tokenizer of scim2-parse-filter, reproduced to find bare words in value position.
const TOKEN = /^(?:(\s+)|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![-\w._:/)\s]))|("(?:[^"\\]|\\.|\n)*")|([[()]|]\.?)|(\w[-\w._:/%]*))/;
const COMPARE = new Set(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"]);

/** A string as scim2-parse-filter's literal: it reads every backslash literally except before a quote. */
function libraryLiteral(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/**
 * Rewrites a filter so scim2-parse-filter reads it as RFC 7644 §3.4.2.2 means it:
 * - string literals are JSON strings ("CORP\\jdoe" is CORP\jdoe); the library alone would keep
 *   both backslashes, so each literal is decoded here and re-encoded the way it reads them;
 * - a bare word after a comparison operator (`userName sw O`, `meta.created gt 2015-10-10T14:38:21Z`),
 *   which Microsoft's clients and reference server use, is read as the string it spells.
 * Returns null when the text does not tokenize; the library then reports the error.
 */
function prepare(text: string): string | null {
  const out: string[] = [];
  let rest = text;
  let previous = "";
  while (rest.length > 0) {
    const match = TOKEN.exec(rest);
    if (!match || match[0].length === 0) return null;
    const [token, space, , quoted, , word] = match;
    if (!space) {
      if (quoted !== undefined) {
        let value: unknown;
        try {
          value = JSON.parse(quoted);
        } catch {
          return null;
        }
        out.push(libraryLiteral(value as string));
      } else if (word !== undefined && COMPARE.has(previous.toLowerCase()) && !/^(true|false|null)$/.test(word)) {
        out.push(libraryLiteral(word));
      } else {
        out.push(token);
      }
      previous = token;
    }
    rest = rest.slice(token.length);
  }
  return out.join(" ");
}

function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "(" || c === "[") max = Math.max(max, ++depth);
    else if (c === ")" || c === "]") depth--;
  }
  return max;
}

function countNodes(filter: Filter): number {
  if (filter.op === "and" || filter.op === "or") return 1 + filter.filters.reduce((n, f) => n + countNodes(f), 0);
  if (filter.op === "not") return 1 + countNodes(filter.filter);
  if (filter.op === "[]") return 1 + countNodes(filter.valFilter);
  return 1;
}

/** Parses a SCIM filter; anything malformed or oversized is 400 invalidFilter, never a crash. */
export function parseFilter(text: string): Filter {
  if (text.trim() === "") throw invalidFilter("The filter is empty.");
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  if (depthOf(text) > MAX_DEPTH) throw invalidFilter(`The filter nests deeper than ${MAX_DEPTH} levels.`);
  let filter: Filter;
  try {
    filter = parse(prepare(text) ?? text);
  } catch (error) {
    throw invalidFilter(`The filter is not valid SCIM filter syntax: ${error instanceof Error ? error.message.slice(0, 200) : "parse error"}.`);
  }
  if (countNodes(filter) > MAX_NODES) throw invalidFilter(`The filter has more than ${MAX_NODES} expressions.`);
  return filter;
}

/**
 * Writes a filter back as text for scim-patch, which splits the path on ':' before reading
 * the filter: a string value containing ':' or '[' cannot be expressed there (400 invalidPath).
 */
export function stringifyFilter(filter: Filter): string {
  switch (filter.op) {
    case "and":
    case "or":
      return filter.filters.map((f) => `(${stringifyFilter(f)})`).join(` ${filter.op} `);
    case "not":
      return `not (${stringifyFilter(filter.filter)})`;
    case "[]":
      return `${filter.attrPath}[${stringifyFilter(filter.valFilter)}]`;
    case "pr":
      return `${filter.attrPath} pr`;
    default: {
      const value = filter.compValue;
      if (typeof value === "string" && /[:[]/.test(value)) throw invalidPath("A PATCH path filter cannot compare with a value containing ':' or '['.");
      return `${filter.attrPath} ${filter.op} ${typeof value === "string" ? libraryLiteral(value) : JSON.stringify(value)}`;
    }
  }
}
