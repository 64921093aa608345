/**
 * Lint for bugs the type checker lets through, not for style: a promise nobody awaits (an
 * audit write or a revocation that silently never happens, an error that never reaches the
 * user), a promise handed to a caller that ignores it (an event handler, a server callback),
 * `await` on something that is not a promise, and React hooks called conditionally or with
 * stale dependencies. Formatting is not linted here.
 */
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [".next/**", "node_modules/**", "drizzle/**", "tmp-*/**", "bench-results/**", ".data/**", "test-results/**", "playwright-report/**", "reports/**", ".stryker-tmp/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    // React lives only in app/ and components/; elsewhere `use` is Playwright's fixture callback,
    // which the hooks rule would mistake for React's use().
    files: ["{app,components}/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
);
