import { z } from "zod";

/**
 * Connector settings per application, kept in applications.connector_config (never secret: the
 * bearer token or signing secret is sealed apart in applications.connector_secret).
 */
export const scimConfigSchema = z.object({
  /** The SCIM service's base URL, e.g. https://idp.example.com/scim/v2 (Users and Groups below it). */
  baseUrl: z.url({ message: "Enter the SCIM base URL, e.g. https://idp.example.com/scim/v2." }),
  /** remove_from_group: PATCH the entitlement's Group to remove the member; deactivate_user: PATCH the User active=false. */
  action: z.enum(["remove_from_group", "deactivate_user"]).default("remove_from_group"),
  /** Entitlement name -> SCIM Group id. Entitlements not listed use their external id. */
  groupMapping: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** How long to wait for each answer. */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export const webhookConfigSchema = z.object({
  /** Receives the signed revocation event (POST). */
  url: z.url({ message: "Enter the receiver's full URL." }),
  /** Optional: polled (GET) until it reports the access removed; "{revocationId}" is replaced. Without it, Accord waits for the callback. */
  statusUrl: z.url({ message: "Enter the status URL, or leave it empty." }).optional(),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export const manualConfigSchema = z.object({
  /** Shown to the app owner in the task, e.g. where and how to remove access. */
  instructions: z.string().trim().max(2_000).optional(),
});

export type ScimConfig = z.infer<typeof scimConfigSchema>;
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type ConnectorKind = "scim" | "webhook" | "manual" | "none";

export const CONNECTOR_CONFIG_SCHEMAS = { scim: scimConfigSchema, webhook: webhookConfigSchema, manual: manualConfigSchema, none: z.object({}) } as const;

/** "name = group id" lines (what the admin form edits) to a mapping; errors name the line. */
export function parseGroupMapping(text: string): { mapping: Record<string, string>; errors: string[] } {
  const mapping: Record<string, string> = {};
  const errors: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf("=");
    const name = at > 0 ? line.slice(0, at).trim() : "";
    const groupId = at > 0 ? line.slice(at + 1).trim() : "";
    if (!name || !groupId) errors.push(`line ${index + 1}: expected "entitlement name = SCIM group id"`);
    else mapping[name] = groupId;
  }
  return { mapping, errors };
}

export function formatGroupMapping(mapping: Record<string, string> | undefined): string {
  return Object.entries(mapping ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, id]) => `${name} = ${id}`)
    .join("\n");
}
