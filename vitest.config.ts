import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

/** No database: the mutation run (vitest.unit.config.ts) uses this project alone. */
export const unitProject = {
  resolve: { alias },
  test: {
    name: "unit",
    include: ["{lib,db,app,components,scripts}/**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "node_modules/**"],
    environment: "node" as const,
  },
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      unitProject,
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,db,app,scripts}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["lib/testing/integration-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
