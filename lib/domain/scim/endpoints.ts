import type { Deps } from "@/lib/domain/deps";
import type { ScimPrincipal } from "./context";
import { findResourceType, findSchema, listOf, resourceTypes, schemas, serviceProviderConfig } from "./discovery";
import { ScimError, invalidSyntax, notFound } from "./errors";
import { etagOf, matchesIfNoneMatch } from "./etag";
import { toScimGroup } from "./group-mapping";
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from "./groups";
import { isPlainObject } from "./normalize";
import { parseProjection, project, returnsAttribute, type Projection } from "./projection";
import type { ResourceKind } from "./schema-definitions";
import { toScimUser } from "./user-mapping";
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from "./users";

/** What an endpoint answers; the handler turns it into HTTP. */
export interface Outcome {
  status: number;
  body?: unknown;
  etag?: string;
  location?: string;
}

export interface Call {
  method: string;
  segments: string[];
  query: URLSearchParams;
  header: (name: string) => string | null;
  /** The parsed JSON body (POST, PUT, PATCH). */
  json: () => unknown;
  baseUrl: string;
}

/** Query parameter by name, case-insensitively (clients differ in `startIndex` vs `startindex`). */
function param(query: URLSearchParams, name: string): string | null {
  for (const [key, value] of query) if (key.toLowerCase() === name.toLowerCase()) return value;
  return null;
}

function integer(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

const METHOD_NOT_ALLOWED = (allowed: string) => new ScimError(405, `Use ${allowed} on this endpoint.`);

interface ListArgs {
  filter: string | null;
  startIndex: number | null;
  count: number | null;
  projection: Projection;
}

function listArgsFromQuery(kind: ResourceKind, query: URLSearchParams): ListArgs {
  return {
    filter: param(query, "filter"),
    startIndex: integer(param(query, "startIndex")),
    count: integer(param(query, "count")),
    projection: parseProjection(kind, param(query, "attributes"), param(query, "excludedAttributes")),
  };
}

/** POST /.search (RFC 7644 §3.4.3): the same query, as a SearchRequest body. */
function listArgsFromSearch(kind: ResourceKind, body: unknown): ListArgs {
  if (!isPlainObject(body)) throw invalidSyntax("A search takes a SearchRequest object.");
  const get = (name: string) => Object.entries(body).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? value : null);
  const filter = get("filter");
  if (filter !== undefined && filter !== null && typeof filter !== "string") throw invalidSyntax("'filter' must be a string.");
  return {
    filter: (filter as string | undefined) ?? null,
    startIndex: integer(get("startIndex")),
    count: integer(get("count")),
    projection: parseProjection(kind, strings(get("attributes")), strings(get("excludedAttributes"))),
  };
}

async function list(deps: Deps, principal: ScimPrincipal, kind: ResourceKind, args: ListArgs, baseUrl: string): Promise<Outcome> {
  if (kind === "User") {
    const { total, startIndex, rows } = await listUsers(deps, principal, args);
    return {
      status: 200,
      body: listOf(
        rows.map((r) => project(toScimUser(r, baseUrl), args.projection)),
        total,
        startIndex,
      ),
    };
  }
  const result = await listGroups(deps, principal, { ...args, withMembers: returnsAttribute(args.projection, "members") });
  const resources = result.rows.map((r) => project(toScimGroup(r, result.members.get(r.id) ?? null, baseUrl), args.projection));
  return { status: 200, body: listOf(resources, result.total, result.startIndex) };
}

/** A written or read resource, rendered with its version. */
interface Rendered {
  resource: Record<string, unknown>;
  version: string;
}

async function readOne(deps: Deps, principal: ScimPrincipal, kind: ResourceKind, id: string, projection: Projection, baseUrl: string): Promise<Rendered> {
  if (kind === "User") {
    const row = await getUser(deps, principal, { id });
    return { resource: toScimUser(row, baseUrl), version: row.version };
  }
  const { row, members } = await getGroup(deps, principal, { id, withMembers: returnsAttribute(projection, "members") });
  return { resource: toScimGroup(row, members, baseUrl), version: row.version };
}

async function writeOne(deps: Deps, principal: ScimPrincipal, kind: ResourceKind, id: string, call: Call): Promise<{ version: string }> {
  const input = { id, body: call.json(), ifMatch: call.header("if-match") };
  if (kind === "User") return call.method === "PUT" ? replaceUser(deps, principal, input) : patchUser(deps, principal, input);
  return call.method === "PUT" ? replaceGroup(deps, principal, input) : patchGroup(deps, principal, input);
}

async function one(deps: Deps, principal: ScimPrincipal, kind: ResourceKind, id: string, call: Call): Promise<Outcome> {
  const attributes = param(call.query, "attributes");
  const excluded = param(call.query, "excludedAttributes");
  const projection = parseProjection(kind, attributes, excluded);
  const answer = (status: number, { resource, version }: Rendered): Outcome => ({ status, body: project(resource, projection), etag: etagOf(version) });

  switch (call.method) {
    case "GET": {
      const read = await readOne(deps, principal, kind, id, projection, call.baseUrl);
      // RFC 7644 §3.14: a client holding the current version gets 304 and no body.
      if (matchesIfNoneMatch(call.header("if-none-match"), read.version)) return { status: 304, etag: etagOf(read.version) };
      return answer(200, read);
    }
    case "PUT":
    case "PATCH": {
      const written = await writeOne(deps, principal, kind, id, call);
      // RFC 7644 §3.5.2: PATCH answers 204 unless the client asked for attributes back.
      if (call.method === "PATCH" && attributes === null && excluded === null) return { status: 204, etag: etagOf(written.version) };
      return answer(200, await readOne(deps, principal, kind, id, projection, call.baseUrl));
    }
    case "DELETE":
      if (kind === "User") await deleteUser(deps, principal, { id, ifMatch: call.header("if-match") });
      else await deleteGroup(deps, principal, { id, ifMatch: call.header("if-match") });
      return { status: 204 };
    default:
      throw METHOD_NOT_ALLOWED("GET, PUT, PATCH or DELETE");
  }
}

async function collection(deps: Deps, principal: ScimPrincipal, kind: ResourceKind, call: Call): Promise<Outcome> {
  if (call.method === "GET") return list(deps, principal, kind, listArgsFromQuery(kind, call.query), call.baseUrl);
  if (call.method !== "POST") throw METHOD_NOT_ALLOWED("GET or POST");
  const projection = parseProjection(kind, param(call.query, "attributes"), param(call.query, "excludedAttributes"));
  if (kind === "User") {
    const row = await createUser(deps, principal, { body: call.json() });
    const resource = toScimUser(row, call.baseUrl);
    return { status: 201, body: project(resource, projection), etag: etagOf(row.version), location: `${call.baseUrl}/Users/${row.id}` };
  }
  const row = await createGroup(deps, principal, { body: call.json() });
  const { resource, version } = await readOne(deps, principal, "Group", row.id, projection, call.baseUrl);
  return { status: 201, body: project(resource, projection), etag: etagOf(version), location: `${call.baseUrl}/Groups/${row.id}` };
}

function discovery(call: Call, document: unknown): Outcome {
  if (call.method !== "GET") throw METHOD_NOT_ALLOWED("GET");
  if (document === null) throw notFound("Resource");
  return { status: 200, body: document };
}

/** Routes /api/scim/v2/<segments>. Endpoint names match case-insensitively; ids are passed as given. */
export async function dispatch(deps: Deps, principal: ScimPrincipal, call: Call): Promise<Outcome> {
  const [first = "", second, third] = call.segments;
  const head = first.toLowerCase();
  if (third !== undefined) throw notFound("Resource");
  if (head === "serviceproviderconfig" || head === "serviceconfiguration") return discovery(call, second === undefined ? serviceProviderConfig(call.baseUrl) : null);
  if (head === "resourcetypes") return discovery(call, second === undefined ? resourceTypes(call.baseUrl) : findResourceType(call.baseUrl, second));
  if (head === "schemas") return discovery(call, second === undefined ? schemas(call.baseUrl) : findSchema(call.baseUrl, second));
  if (head === "bulk" || head === "me") throw new ScimError(501, `/${first} is not supported (see ServiceProviderConfig).`);
  const kind: ResourceKind | null = head === "users" ? "User" : head === "groups" ? "Group" : null;
  if (!kind) throw notFound("Resource");
  if (second === undefined) return collection(deps, principal, kind, call);
  if (second === ".search") {
    if (call.method !== "POST") throw METHOD_NOT_ALLOWED("POST");
    return list(deps, principal, kind, listArgsFromSearch(kind, call.json()), call.baseUrl);
  }
  return one(deps, principal, kind, second, call);
}
