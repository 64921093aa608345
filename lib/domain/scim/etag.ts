import { ScimError } from "./errors";

/**
 * Versions are the resource's updated_at in microseconds, read in SQL (JavaScript dates stop at
 * milliseconds), and every write moves updated_at forward by at least a microsecond, so two
 * writes never share a version. Weak ETags, as RFC 7644 §3.14 shows them.
 */
export const etagOf = (version: string) => `W/"${version}"`;

function opaque(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
}

/** RFC 7232 If-Match: "*" or a list of tags. A missing header allows the write (ETags are optional in SCIM). */
export function checkIfMatch(header: string | null | undefined, version: string): void {
  if (header === null || header === undefined || header.trim() === "") return;
  if (header.trim() === "*") return;
  const tags = header.split(",").map(opaque);
  if (!tags.includes(version)) throw new ScimError(412, "The resource changed since that version (If-Match); read it again and retry.");
}

/** RFC 7232 If-None-Match on a read: true when the client already has this version. */
export function matchesIfNoneMatch(header: string | null | undefined, version: string): boolean {
  if (!header) return false;
  return header.trim() === "*" || header.split(",").map(opaque).includes(version);
}
