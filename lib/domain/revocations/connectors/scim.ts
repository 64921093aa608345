import { callTarget, failFor } from "./http";
import { scimConfigSchema, type ScimConfig } from "./config";
import { ConnectorError, type Connector, type ConnectorContext, type ReadBack } from "./types";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function settings(ctx: ConnectorContext): ScimConfig {
  const parsed = scimConfigSchema.safeParse(ctx.config);
  if (!parsed.success) throw new ConnectorError(`The SCIM connector is not configured: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, false);
  if (!ctx.secret) throw new ConnectorError("The SCIM connector has no bearer token; an admin must set one", false);
  return parsed.data;
}

const base = (config: ScimConfig) => config.baseUrl.replace(/\/+$/, "");

function headers(ctx: ConnectorContext, withBody: boolean): Record<string, string> {
  return {
    accept: "application/scim+json, application/json",
    authorization: `Bearer ${ctx.secret}`,
    // Not part of SCIM; targets that support it de-duplicate a repeated PATCH, the others ignore it.
    "idempotency-key": ctx.work.revocation.idempotencyKey,
    ...(withBody ? { "content-type": "application/scim+json" } : {}),
  };
}

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The target's id of the user: the account's external id when Accord knows it, else looked up by
 * userName (the account's username, or the identity's email). null: the target has no such user.
 */
async function userId(ctx: ConnectorContext, config: ScimConfig): Promise<string | null> {
  if (ctx.work.account?.externalId) return ctx.work.account.externalId;
  const userName = ctx.work.account?.username ?? ctx.work.identity.email;
  if (!userName) throw new ConnectorError("The grant has no account and the identity no email: Accord cannot tell which SCIM user to change", false);
  const url = `${base(config)}/Users?filter=${encodeURIComponent(`userName eq ${quote(userName)}`)}&count=2`;
  const res = await callTarget(ctx, "lookup", { method: "GET", url, headers: headers(ctx, false) });
  if (res.status !== 200) failFor("Looking up the SCIM user", res.status);
  const list = res.json as { Resources?: { id?: string }[] } | null;
  const found = list?.Resources ?? [];
  if (found.length > 1) throw new ConnectorError(`More than one SCIM user has userName ${userName}`, false);
  return found[0]?.id ?? null;
}

function groupId(ctx: ConnectorContext, config: ScimConfig): string {
  const id = config.groupMapping[ctx.work.entitlement.name] ?? ctx.work.entitlement.externalId;
  if (!id) throw new ConnectorError(`No SCIM group is mapped to the entitlement "${ctx.work.entitlement.name}": add it to the connector's group mapping`, false);
  return id;
}

const isMember = (group: unknown, user: string) => ((group as { members?: { value?: string }[] } | null)?.members ?? []).some((m) => m.value === user);

const scimType = (json: unknown) => (json && typeof json === "object" ? (json as { scimType?: string }).scimType : undefined);

/**
 * SCIM 2.0 client (RFC 7644). Removal is a PATCH (remove the member from the entitlement's Group,
 * or set the User inactive); verification is a GET of the same resource. Both removals are
 * idempotent: removing an absent member (400 noTarget) or changing a deleted user (404) counts
 * as done, and the read-back decides.
 */
export const scimConnector: Connector = {
  async apply(ctx) {
    const config = settings(ctx);
    const user = await userId(ctx, config);
    if (!user) return; // No such user in the target: nothing to remove; the read-back confirms.
    if (config.action === "deactivate_user") {
      const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
      const res = await callTarget(ctx, "dispatch", { method: "PATCH", url: `${base(config)}/Users/${encodeURIComponent(user)}`, headers: headers(ctx, true), body }, (status) =>
        (status >= 200 && status < 300) || status === 404 ? "ok" : "error",
      );
      if ((res.status >= 200 && res.status < 300) || res.status === 404) return;
      failFor("Deactivating the SCIM user", res.status, scimType(res.json));
    }
    const group = groupId(ctx, config);
    const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq ${quote(user)}]` }] });
    const res = await callTarget(ctx, "dispatch", { method: "PATCH", url: `${base(config)}/Groups/${encodeURIComponent(group)}`, headers: headers(ctx, true), body }, (status, json) =>
      (status >= 200 && status < 300) || (status === 400 && scimType(json) === "noTarget") ? "ok" : "error",
    );
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 400 && scimType(res.json) === "noTarget") return;
    if (res.status === 404) throw new ConnectorError(`The SCIM group ${group} does not exist in the target; check the group mapping`, false);
    failFor("Removing the SCIM group member", res.status, scimType(res.json));
  },

  async readBack(ctx): Promise<ReadBack> {
    const config = settings(ctx);
    const user = await userId(ctx, config);
    if (!user) return "absent";
    if (config.action === "deactivate_user") {
      const res = await callTarget(ctx, "verify", { method: "GET", url: `${base(config)}/Users/${encodeURIComponent(user)}`, headers: headers(ctx, false) }, (status, json) =>
        status === 404 || (status === 200 && (json as { active?: boolean } | null)?.active === false) ? "ok" : status === 200 ? "pending" : "error",
      );
      if (res.status === 404) return "absent";
      if (res.status !== 200) failFor("Reading the SCIM user back", res.status);
      return (res.json as { active?: boolean } | null)?.active === false ? "absent" : "present";
    }
    const group = groupId(ctx, config);
    const res = await callTarget(ctx, "verify", { method: "GET", url: `${base(config)}/Groups/${encodeURIComponent(group)}?attributes=members`, headers: headers(ctx, false) }, (status, json) =>
      status !== 200 ? "error" : isMember(json, user) ? "pending" : "ok",
    );
    if (res.status === 404) throw new ConnectorError(`The SCIM group ${group} does not exist in the target; check the group mapping`, false);
    if (res.status !== 200) failFor("Reading the SCIM group back", res.status);
    return isMember(res.json, user) ? "present" : "absent";
  },
};
