import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import SCIMMY from "scimmy";

/**
 * A real SCIM 2.0 service provider on loopback, standing in for a target application in the
 * revocation tests and the bench: Users and Groups implemented with the `scimmy` library (schema
 * validation, filters, PatchOp, error messages per RFC 7643/7644) behind a small node:http
 * adapter with bearer authentication. `fault` scripts failures (HTTP errors, hangs) per request.
 */
export interface ScimUser {
  id: string;
  userName: string;
  active: boolean;
  displayName?: string;
}
export interface ScimGroup {
  id: string;
  displayName: string;
  members: { value: string; display?: string }[];
}
export interface ScimStore {
  users: Map<string, ScimUser>;
  groups: Map<string, ScimGroup>;
}
export interface SeenRequest {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage["headers"];
}
/** What to do with a request: answer normally, answer with an error status, or never answer. */
export type Fault = "none" | "hang" | { status: number; location?: string };

const BASE = "/scim/v2";

let declared = false;
function declareResources() {
  if (declared) return;
  declared = true;
  SCIMMY.Config.set({ patch: true, filter: true, sort: false, bulk: false, changePassword: false, etag: false });
  const users = SCIMMY.Resources.declare(SCIMMY.Resources.User) as typeof SCIMMY.Resources.User;
  users
    .ingress((resource, instance, ctx) => {
      const store = ctx as ScimStore;
      const data = instance as unknown as Partial<ScimUser>;
      const id = resource.id ?? randomUUID();
      if (resource.id && !store.users.has(id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${id} not found`);
      const user: ScimUser = { id, userName: data.userName!, active: data.active ?? true, displayName: data.displayName };
      store.users.set(id, user);
      return user as never;
    })
    .egress((resource, ctx) => {
      const store = ctx as ScimStore;
      if (resource.id) {
        const user = store.users.get(resource.id);
        if (!user) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return user as never;
      }
      const all = [...store.users.values()];
      return (resource.filter ? resource.filter.match(all) : all) as never;
    })
    .degress((resource, ctx) => {
      if (!(ctx as ScimStore).users.delete(resource.id!)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    });
  const groups = SCIMMY.Resources.declare(SCIMMY.Resources.Group) as typeof SCIMMY.Resources.Group;
  groups
    .ingress((resource, instance, ctx) => {
      const store = ctx as ScimStore;
      const data = instance as unknown as Partial<ScimGroup>;
      const id = resource.id ?? randomUUID();
      if (resource.id && !store.groups.has(id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${id} not found`);
      const group: ScimGroup = { id, displayName: data.displayName!, members: (data.members ?? []).map((m) => ({ value: m.value, display: m.display })) };
      store.groups.set(id, group);
      return group as never;
    })
    .egress((resource, ctx) => {
      const store = ctx as ScimStore;
      if (resource.id) {
        const group = store.groups.get(resource.id);
        if (!group) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return structuredClone(group) as never;
      }
      const all = [...store.groups.values()].map((g) => structuredClone(g));
      return (resource.filter ? resource.filter.match(all) : all) as never;
    })
    .degress((resource, ctx) => {
      if (!(ctx as ScimStore).groups.delete(resource.id!)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    });
  users.basepath(BASE);
  groups.basepath(BASE);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, payload?: unknown) {
  if (payload === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/scim+json" }).end(JSON.stringify(payload));
}

type ResourceClass = typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group;

async function handle(store: ScimStore, req: IncomingMessage, url: URL, body: string, res: ServerResponse) {
  const [, kind, id] = url.pathname.slice(BASE.length).split("/");
  if (kind === "ServiceProviderConfig" && req.method === "GET") return send(res, 200, await new SCIMMY.Resources.ServiceProviderConfig().read());
  const Resource: ResourceClass | undefined = kind === "Users" ? SCIMMY.Resources.User : kind === "Groups" ? SCIMMY.Resources.Group : undefined;
  if (!Resource) return send(res, 404, new SCIMMY.Messages.ErrorResponse({ status: 404, detail: `No endpoint ${url.pathname}` } as never));
  const params = Object.fromEntries(url.searchParams) as Record<string, string>;
  const query = { ...params, ...(params.startIndex ? { startIndex: Number(params.startIndex) } : {}), ...(params.count ? { count: Number(params.count) } : {}) } as never;
  const json = body ? JSON.parse(body) : undefined;
  switch (req.method) {
    case "GET":
      return send(res, 200, await (id ? new Resource(id, query) : new Resource(undefined, query)).read(store));
    case "POST":
      return send(res, 201, await new Resource(undefined, query).write(json, store));
    case "PUT":
      return send(res, 200, await new Resource(id, query).write(json, store));
    case "PATCH": {
      const patched = await new Resource(id, query).patch(json, store);
      return patched ? send(res, 200, patched) : send(res, 204);
    }
    case "DELETE":
      await new Resource(id).dispose(store);
      return send(res, 204);
    default:
      return send(res, 405);
  }
}

export async function startScimServer(options: { token: string; fault?: (request: SeenRequest, index: number) => Fault }) {
  declareResources();
  const store: ScimStore = { users: new Map(), groups: new Map() };
  const requests: SeenRequest[] = [];
  const hung = new Set<ServerResponse>();
  async function serve(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const seen: SeenRequest = { method: req.method ?? "GET", path: `${url.pathname}${url.search}`, body, headers: req.headers };
    requests.push(seen);
    const fault = options.fault?.(seen, requests.length) ?? "none";
    if (fault === "hang") {
      hung.add(res);
      return;
    }
    if (typeof fault === "object") {
      if (fault.location) res.setHeader("location", fault.location);
      return send(res, fault.status, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(fault.status), detail: "Injected fault" });
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: "Bad credentials" });
    try {
      await handle(store, req, url, body, res);
    } catch (ex) {
      const error = new SCIMMY.Messages.ErrorResponse(ex as Error);
      send(res, Number(error.status), error);
    }
  }
  // A request the caller aborted mid-body (a client timeout in a fault test) has nobody left to
  // answer: drop the socket rather than leave an unhandled rejection behind.
  const server: Server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE}`,
    store,
    requests,
    addUser(userName: string): ScimUser {
      const user = { id: randomUUID(), userName, active: true };
      store.users.set(user.id, user);
      return user;
    },
    addGroup(displayName: string, memberIds: string[] = []): ScimGroup {
      const group = { id: randomUUID(), displayName, members: memberIds.map((value) => ({ value })) };
      store.groups.set(group.id, group);
      return group;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ScimServer = Awaited<ReturnType<typeof startScimServer>>;
