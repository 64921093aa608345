import { defineConfig } from "vitest/config";
import { unitProject } from "./vitest.config";

/** The unit project on its own, for Stryker (its vitest runner cannot pick one project of several). */
export default defineConfig(unitProject);
