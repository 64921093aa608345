import type { TestProject } from "vitest/node";
import { migrateDatabase } from "@/db/migrate";
import { createDatabase, dropDatabase, testServerUrl } from "./server";

export const TEMPLATE_DATABASE = `accord_test_template_${process.pid}`;

/** Migrates one template database; each worker then clones it, which takes milliseconds. */
export default async function setup(project: TestProject) {
  const server = await testServerUrl();
  const templateUrl = await createDatabase(server.adminUrl, TEMPLATE_DATABASE);
  await migrateDatabase(templateUrl);
  project.provide("adminUrl", server.adminUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  return async () => {
    await dropDatabase(server.adminUrl, TEMPLATE_DATABASE);
    await server.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}
