import { z } from "zod";

/**
 * Every environment variable Accord reads, validated once. Nothing else reads process.env,
 * so a misconfiguration fails at start with the variable's name instead of deep in a request.
 */
const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}, "must be a postgres:// or postgresql:// URL, e.g. postgres://user@127.0.0.1:5432/accord");

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: postgresUrl.optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)").optional(),
    /** The public URL of Accord; sign-in redirects are built from it, never from the Host header. */
    AUTH_URL: z.url().default("http://localhost:3000"),
    AUTH_OIDC_ISSUER: z.url().optional(),
    AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
    AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_OIDC_NAME: z.string().min(1).default("Single sign-on"),
    ACCORD_DEMO: flag,
    ACCORD_DATA_DIR: z.string().min(1).default(".data"),
    ACCORD_DB_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    TEST_DATABASE_URL: postgresUrl.optional(),
    /** Key for secrets stored at rest (connector and webhook secrets); derived from AUTH_SECRET when unset. */
    ACCORD_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    /** Lets webhooks and connectors reach private or loopback addresses (tests, lab setups). Off in production. */
    ACCORD_ALLOW_PRIVATE_TARGETS: flag,
    /** Run the job workers (webhook delivery, ...) inside this process. */
    ACCORD_WORKERS: z.enum(["on", "off"]).default("on"),
    /** An access request nobody decides lapses after this many hours (default 7 days). */
    ACCORD_REQUEST_EXPIRY_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(168),
    /** Drift findings: standing privilege unused for this many days is a finding. */
    ACCORD_UNUSED_PRIVILEGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Drift findings: how far back sessions and usage events are examined for use without approval. */
    ACCORD_FINDINGS_EVIDENCE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Drift findings: when the recompute job runs (cron, UTC). */
    ACCORD_FINDINGS_CRON: z.string().trim().min(9, "must be a cron expression such as '0 * * * *'").default("0 * * * *"),
    /**
     * Ed25519 private key that signs audit checkpoints and evidence manifests: PKCS#8 PEM, or its
     * DER in base64. Unset: Accord generates one per installation and keeps it sealed in the database.
     */
    ACCORD_CHECKPOINT_SIGNING_KEY: z.string().trim().min(40, "must be an Ed25519 private key (PKCS#8 PEM, or its DER in base64)").optional(),
    /** When a signed checkpoint of the audit trail is published (cron, UTC); one is also published on every export. */
    ACCORD_CHECKPOINT_CRON: z.string().trim().min(9, "must be a cron expression such as '0 * * * *'").default("0 * * * *"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_CLIENT_ID, env.AUTH_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const key of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when any AUTH_OIDC_* variable is set" });
      }
    }
  });

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The secret next-auth signs with. Required outside development so nobody ships the default. */
export function authSecret(config: Env = env()): string {
  const { AUTH_SECRET, NODE_ENV } = config;
  if (AUTH_SECRET) return AUTH_SECRET;
  if (NODE_ENV === "production") {
    throw new ConfigError(["AUTH_SECRET is required in production (generate one with: openssl rand -base64 32)"]);
  }
  return "accord-development-secret-not-for-production-use";
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new ConfigError(["DATABASE_URL is not set (scripts/start.ts sets it to the embedded database)"]);
  return url;
}

/** Lets scripts hand a value to the child processes they start, e.g. the embedded DATABASE_URL. */
export function setEnv(key: keyof Env, value: string): void {
  (process.env as Record<string, string>)[key] = value;
  cached = undefined;
}

/** next-auth 4 reads its own variables; hand it the validated values. */
export function exportNextAuthEnv(): void {
  const process_env = process.env as Record<string, string>;
  process_env.NEXTAUTH_URL = env().AUTH_URL;
  process_env.NEXTAUTH_SECRET = authSecret();
}

/** The environment for a child process (next, the test runner), with overrides. */
export function childProcessEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...overrides };
}
