import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from the schema; it never connects, so no URL is needed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
