/**
 * Accord's production build serving the benchmark's data set, and signed-in people to browse it
 * as: what a user's browser talks to, measured from outside the process.
 */
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { connect } from "@/db/client";
import { insertAuthSession } from "@/db/queries/auth";
import { hashSessionToken, newSessionToken, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-token";
import { childProcessEnv } from "@/lib/env";
import { buildIfStale } from "@/lib/launcher/build";
import { startNext } from "@/lib/launcher/next-server";

export interface AppServer {
  baseUrl: string;
  port: number;
  stop: () => Promise<void>;
}

const SECRET = crypto.randomBytes(32).toString("base64url");

export async function buildApp(log: (line: string) => void): Promise<void> {
  // Prerendering reads the auth configuration, which production refuses to run without a secret.
  await buildIfStale(childProcessEnv({ AUTH_SECRET: SECRET }), log);
}

/**
 * `next start` against the data set. Workers are off unless asked for: the benchmark measures
 * pages, not the hourly recompute that a worker might start in the middle of a run.
 */
export async function startApp(url: string, options: { port: number; workers?: boolean; env?: Record<string, string> }): Promise<AppServer> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = await startNext({
    port: options.port,
    host: "127.0.0.1",
    quiet: true,
    env: childProcessEnv({
      NODE_ENV: "production",
      DATABASE_URL: url,
      AUTH_SECRET: SECRET,
      AUTH_URL: baseUrl,
      ACCORD_WORKERS: options.workers ? "on" : "off",
      ...options.env,
    }),
  });
  return {
    baseUrl,
    port: options.port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Session cookies for these people, as a completed single sign-on leaves them (the session row
 * and its cookie); the sign-in itself is not what is measured.
 */
export async function signIn(url: string, identityIds: string[]): Promise<Map<string, string>> {
  const { db, close } = connect(url, { max: 1 });
  const cookies = new Map<string, string>();
  try {
    const expiresAt = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
    for (const identityId of identityIds) {
      const token = newSessionToken();
      await insertAuthSession(db, { tokenHash: hashSessionToken(token), identityId, expiresAt, method: "bench" });
      cookies.set(identityId, `next-auth.session-token=${token}`);
    }
  } finally {
    await close();
  }
  return cookies;
}
