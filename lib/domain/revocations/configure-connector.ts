import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { applications } from "@/db/schema";
import { getApplication } from "@/db/queries/applications";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { assertPublicTarget, outboundRequest, OutboundRefused } from "@/lib/http/outbound";
import { webhookHeaders } from "@/lib/http/webhook-signature";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayAdminister, seesEverything } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { formatGroupMapping, parseGroupMapping, scimConfigSchema, webhookConfigSchema } from "./connectors/config";

const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const optionalUrl = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.url({ message: "must be a full URL (https://…)" }).optional());

export const configureConnectorInput = z.object({
  applicationId: z.uuid(),
  kind: z.enum(["scim", "webhook", "manual", "none"]),
  baseUrl: optionalUrl,
  action: z.enum(["remove_from_group", "deactivate_user"]).default("remove_from_group"),
  groupMapping: z.string().max(50_000).default(""),
  url: optionalUrl,
  statusUrl: optionalUrl,
  instructions: z.string().trim().max(2_000).default(""),
  /** Blank keeps the stored secret; it is never shown back. */
  secret: optionalText.pipe(z.string().min(8, "must be at least 8 characters").max(4_000).optional()),
  slaHours: z.coerce.number().int().min(1, "must be at least 1 hour").max(720, "must be at most 720 hours (30 days)"),
});

async function checkTarget(field: string, url: string) {
  try {
    await assertPublicTarget(url);
  } catch (error) {
    if (error instanceof OutboundRefused) throw new Invalid(`That URL cannot be used: ${error.message}.`, { [field]: [error.message] });
    throw error;
  }
}

/** Admins set how an application's revocations reach it. The secret is sealed at rest and never returned or logged. */
export async function configureConnector(deps: Deps, actor: Actor, input: z.infer<typeof configureConnectorInput>) {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins configure connectors.");
  const app = await getApplication(deps.db, { applicationId: input.applicationId });
  if (!app) throw new NotFound("That application");

  let config: Record<string, unknown> = {};
  if (input.kind === "scim") {
    const { mapping, errors } = parseGroupMapping(input.groupMapping);
    if (errors.length) throw new Invalid("The group mapping has errors.", { groupMapping: errors });
    const parsed = scimConfigSchema.safeParse({ baseUrl: input.baseUrl, action: input.action, groupMapping: mapping });
    if (!parsed.success) throw new Invalid("The SCIM settings need attention.", Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", [i.message]])));
    await checkTarget("baseUrl", parsed.data.baseUrl);
    config = { baseUrl: parsed.data.baseUrl, action: parsed.data.action, groupMapping: parsed.data.groupMapping };
  } else if (input.kind === "webhook") {
    const parsed = webhookConfigSchema.safeParse({ url: input.url, statusUrl: input.statusUrl });
    if (!parsed.success) throw new Invalid("The webhook settings need attention.", Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", [i.message]])));
    await checkTarget("url", parsed.data.url);
    if (parsed.data.statusUrl) await checkTarget("statusUrl", parsed.data.statusUrl.replaceAll("{revocationId}", "x"));
    config = { url: parsed.data.url, ...(parsed.data.statusUrl ? { statusUrl: parsed.data.statusUrl } : {}) };
  } else if (input.kind === "manual") {
    config = input.instructions ? { instructions: input.instructions } : {};
  }
  const needsSecret = input.kind === "scim" || input.kind === "webhook";
  if (needsSecret && !input.secret && !app.hasConnectorSecret) {
    throw new Invalid(input.kind === "scim" ? "Enter the SCIM bearer token." : "Enter the signing secret shared with the receiver.", { secret: ["is required"] });
  }

  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    await tx
      .update(applications)
      .set({
        connectorKind: input.kind,
        connectorConfig: config,
        ...(input.secret ? { connectorSecret: sealSecret(input.secret) } : needsSecret ? {} : { connectorSecret: null }),
        revocationSlaHours: input.slaHours,
        updatedAt: at,
      })
      .where(eq(applications.id, app.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "application.connector_configured",
      entityType: "application",
      entityId: app.id,
      before: { kind: app.connectorKind, config: app.connectorConfig, slaHours: app.revocationSlaHours },
      after: { kind: input.kind, config, slaHours: input.slaHours, secretChanged: Boolean(input.secret) },
      at,
    });
    return { applicationId: app.id, kind: input.kind };
  });
}

/** What the admin page shows: settings, never the secret (only whether one is stored). */
export async function getConnectorSettings(deps: Deps, actor: Actor, applicationId: string) {
  if (!seesEverything(actor)) throw new NotFound("That application");
  if (!z.uuid().safeParse(applicationId).success) throw new NotFound("That application");
  const app = await getApplication(deps.db, { applicationId });
  if (!app) throw new NotFound("That application");
  const config = app.connectorConfig as Record<string, unknown>;
  return {
    application: { id: app.id, name: app.name },
    kind: app.connectorKind,
    slaHours: app.revocationSlaHours,
    hasSecret: app.hasConnectorSecret,
    baseUrl: typeof config.baseUrl === "string" ? config.baseUrl : "",
    action: config.action === "deactivate_user" ? "deactivate_user" : "remove_from_group",
    groupMapping: formatGroupMapping(config.groupMapping as Record<string, string> | undefined),
    url: typeof config.url === "string" ? config.url : "",
    statusUrl: typeof config.statusUrl === "string" ? config.statusUrl : "",
    instructions: typeof config.instructions === "string" ? config.instructions : "",
  };
}

export interface ConnectionCheck {
  ok: boolean;
  detail: string;
}

/**
 * "Test connection": SCIM reads /ServiceProviderConfig (and the first mapped group) with the token;
 * a webhook receiver gets a signed revocation.test event and must answer 2xx. Changes nothing.
 */
export async function testConnector(deps: Deps, actor: Actor, input: { applicationId: string }): Promise<ConnectionCheck> {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins test connectors.");
  const [app] = await deps.db.select().from(applications).where(eq(applications.id, input.applicationId));
  if (!app) throw new NotFound("That application");
  const config = app.connectorConfig as Record<string, unknown>;
  if (app.connectorKind === "manual" || app.connectorKind === "none") return { ok: true, detail: "Manual: revocations become tasks for the app owners; there is nothing to connect to." };
  if (!app.connectorSecret) return { ok: false, detail: "No secret is stored yet." };
  const secret = openSecret(app.connectorSecret);
  try {
    if (app.connectorKind === "scim") {
      const base = String(config.baseUrl ?? "").replace(/\/+$/, "");
      const headers = { accept: "application/scim+json", authorization: `Bearer ${secret}` };
      const res = await outboundRequest(`${base}/ServiceProviderConfig`, { method: "GET", headers, timeoutMs: 10_000 });
      if (res.status !== 200) return { ok: false, detail: `GET ${base}/ServiceProviderConfig answered HTTP ${res.status}.` };
      const firstGroup = Object.values((config.groupMapping as Record<string, string>) ?? {})[0];
      if (config.action !== "deactivate_user" && firstGroup) {
        const group = await outboundRequest(`${base}/Groups/${encodeURIComponent(firstGroup)}?attributes=displayName`, { method: "GET", headers, timeoutMs: 10_000 });
        if (group.status !== 200) return { ok: false, detail: `The service answers, but the mapped group ${firstGroup} gave HTTP ${group.status}.` };
      }
      return { ok: true, detail: `Connected: ${base} answers with the token${firstGroup ? ", and the first mapped group exists" : ""}.` };
    }
    const body = JSON.stringify({ id: randomUUID(), type: "revocation.test", occurredAt: deps.now().toISOString(), data: { application: { id: app.id, name: app.name } } });
    const id = JSON.parse(body).id as string;
    const res = await outboundRequest(String(config.url), { method: "POST", headers: webhookHeaders(secret, id, deps.now(), body), body, timeoutMs: 10_000 });
    return res.status >= 200 && res.status < 300
      ? { ok: true, detail: `Connected: the receiver answered HTTP ${res.status} to a signed test event.` }
      : { ok: false, detail: `The receiver answered HTTP ${res.status}.` };
  } catch (error) {
    const message =
      error instanceof OutboundRefused ? error.message : error instanceof Error && error.name === "TimeoutError" ? "no answer within 10 s" : error instanceof Error ? error.message : String(error);
    return { ok: false, detail: `Could not connect: ${message}.` };
  }
}
