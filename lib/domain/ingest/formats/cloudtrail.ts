import { z } from "zod";
import type { ParseOutcome, UsageKind } from "../event";
import { contentId, event, isObject, lastSegment, text, timestamp, unique, withSchema } from "./common";

/**
 * AWS CloudTrail records, one per line (what `jq -c '.Records[]'` makes of CloudTrail's files).
 * ConsoleLogin is a sign-in, AssumeRole* a role assumption, everything else an API call.
 *
 * Who: for an assumed role (SSO and federation) the session name, which IAM Identity Center
 * sets to the person's user name; for an IAM user its user name; "root" for the root user.
 * Which entitlement: the role assumed or acting (its ARN, its name, and for Identity Center
 * roles "AWSReservedSSO_<PermissionSet>_<hash>" the permission set's name).
 */
const schema = z
  .object({
    eventTime: timestamp,
    eventName: z.string({ error: "required" }).min(1, "must not be empty"),
    eventSource: z.string().optional(),
    eventID: z.string().optional(),
    errorCode: z.string().optional(),
    userIdentity: z
      .object({
        type: z.string().optional(),
        userName: z.string().optional(),
        principalId: z.string().optional(),
        arn: z.string().optional(),
        invokedBy: z.string().optional(),
        sessionContext: z
          .object({ sessionIssuer: z.object({ arn: z.string().optional(), userName: z.string().optional() }).loose().optional() })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullish(),
    responseElements: z.record(z.string(), z.unknown()).nullish(),
    resources: z.array(z.unknown()).optional(),
  })
  .loose();

type Identity = NonNullable<z.output<typeof schema>["userIdentity"]>;

function whoIs(identity: Identity | undefined): { name: string | null; externalId: string | null } {
  if (!identity) return { name: null, externalId: null };
  const afterColon = (id: string | undefined) => (id && id.includes(":") ? text(id.slice(id.indexOf(":") + 1)) : null);
  const externalId = text(identity.principalId) ?? text(identity.arn);
  switch (identity.type) {
    case "AssumedRole":
      return { name: afterColon(identity.principalId) ?? lastSegment(text(identity.arn)), externalId };
    case "Root":
      return { name: text(identity.userName) ?? "root", externalId };
    case "FederatedUser":
      return { name: afterColon(identity.principalId) ?? text(identity.userName), externalId };
    case "AWSService":
      return { name: text(identity.invokedBy), externalId };
    default:
      return { name: text(identity.userName) ?? lastSegment(text(identity.arn)), externalId };
  }
}

/** The role behind an ARN, most specific name first. */
function roleHints(arn: string | null): string[] {
  if (!arn) return [];
  const parts = arn.split("/");
  // arn:aws:sts::1:assumed-role/Role/session → Role; arn:aws:iam::1:role/path/Role → Role
  const role = arn.includes(":assumed-role/") ? (parts[1] ?? null) : lastSegment(arn);
  const permissionSet = role?.match(/^AWSReservedSSO_(.+)_[0-9a-f]{6,}$/)?.[1] ?? null;
  const roleArn = arn.includes(":assumed-role/") && role ? arn.replace(/:sts::(\d+):assumed-role\/.*/, `:iam::$1:role/${role}`) : arn;
  return unique([roleArn, role, permissionSet]);
}

function kindOf(name: string): UsageKind {
  if (name === "ConsoleLogin") return "sign_in";
  if (name.startsWith("AssumeRole") || name === "SwitchRole") return "role_assumption";
  return "api_call";
}

/** Session credentials in AssumeRole responses are secrets: never stored. */
function withoutSecrets(value: Record<string, unknown>): Record<string, unknown> {
  const response = value.responseElements;
  if (!isObject(response) || !("credentials" in response)) return value;
  const { credentials: _dropped, ...rest } = response;
  return { ...value, responseElements: { ...rest, credentials: "[removed by Accord]" } };
}

export function parseCloudTrail(value: unknown): ParseOutcome {
  return withSchema(schema, value, (e) => {
    const request = e.requestParameters ?? {};
    const kind = kindOf(e.eventName);
    const assumedArn = kind === "role_assumption" ? text(request.roleArn) : null;
    const actingArn = text(e.userIdentity?.sessionContext?.sessionIssuer?.arn) ?? (e.userIdentity?.type === "AssumedRole" ? text(e.userIdentity.arn) : null);
    const firstResource = e.resources?.find(isObject);
    const resource = firstResource ? (text(firstResource.ARN) ?? text(firstResource.arn)) : null;
    const raw = withoutSecrets(value as Record<string, unknown>);
    return event({
      eventId: text(e.eventID) ?? contentId(raw),
      occurredAt: e.eventTime,
      kind,
      action: e.eventName,
      failed: Boolean(e.errorCode) || e.responseElements?.ConsoleLogin === "Failure",
      use: true,
      account: whoIs(e.userIdentity),
      entitlementHints: unique([...roleHints(assumedArn), ...roleHints(actingArn)]),
      target: assumedArn ?? resource ?? text(request.bucketName) ?? text(request.instanceId) ?? text(e.eventSource),
      raw,
    });
  });
}
