import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("configuration", () => {
  it("accepts an empty environment (embedded database, demo defaults)", () => {
    expect(parseEnv({}).ACCORD_DB_PORT).toBe(54329);
  });

  it("names a bad DATABASE_URL", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://localhost/accord" })).toThrow(/DATABASE_URL must be a postgres:\/\//);
  });

  it("names every missing OIDC variable when only some are set", () => {
    try {
      parseEnv({ AUTH_OIDC_ISSUER: "https://login.example.com" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain("AUTH_OIDC_CLIENT_ID is required");
      expect(message).toContain("AUTH_OIDC_CLIENT_SECRET is required");
    }
  });

  it("refuses a short AUTH_SECRET", () => {
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32 characters/);
  });
});

describe("production configuration", () => {
  it("refuses to start without AUTH_SECRET, and uses it when given", async () => {
    const { authSecret } = await import("./env");
    expect(() => authSecret(parseEnv({ NODE_ENV: "production" }))).toThrow(/AUTH_SECRET is required in production/);
    expect(authSecret(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40) }))).toBe("x".repeat(40));
  });
});
