import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

/**
 * SECURITY.md promise 12: the packages that face the network are at or past the release that
 * fixed their last known serious advisory, and the runtime is a supported Node. Read from what
 * is installed, not from package.json's ranges, because a stale lockfile installs an old
 * version that a caret range would still describe.
 */
const root = path.resolve(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as Record<string, unknown>;
const installed = (pkg: string) => readJson(`node_modules/${pkg}/package.json`).version as string;

const floors: { pkg: string; range: string; why: string }[] = [
  // 16.0.7 fixed React2Shell (CVE-2025-66478); 16.2.11 the last of the 2026 proxy bypasses (GHSA-68g3-v927-f742).
  { pkg: "next", range: ">=16.2.11", why: "React2Shell and the 2026 proxy bypasses" },
  // 19.2.1 fixed the Server Function RCE (CVE-2025-55182); 19.2.3 the DoS and source exposure that followed (CVE-2025-55184, -67779, -55183).
  { pkg: "react", range: ">=19.2.3", why: "React2Shell and its follow-up DoS" },
  { pkg: "react-dom", range: ">=19.2.3", why: "kept in step with react" },
  // Accord is written against the v4 API; 4.24.15 fixed the email normaliser homoglyph bypass (GHSA-7rqj-j65f-68wh).
  { pkg: "next-auth", range: ">=4.24.15 <5", why: "GHSA-7rqj-j65f-68wh" },
];

describe("dependency and runtime floor", () => {
  it.each(floors)("$pkg is installed at $range ($why)", ({ pkg, range }) => {
    const version = installed(pkg);
    expect(semver.satisfies(version, range), `${pkg} ${version} is below ${range}`).toBe(true);
  });

  const engines = (readJson("package.json").engines as { node: string }).node;

  it("runs on a Node that package.json's engines allow", () => {
    expect(semver.satisfies(process.versions.node, engines), `Node ${process.versions.node} does not satisfy ${engines}`).toBe(true);
  });

  it("targets Node 24 LTS in .nvmrc, and engines admits it but no end-of-life Node", () => {
    expect(fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim()).toBe("24");
    expect(semver.intersects(engines, "24.x")).toBe(true);
    // Node 20 reached end of life on 30 April 2026, and pg-boss 12 needs 22.12 or later.
    expect(semver.intersects(engines, "<22.12.0")).toBe(false);
  });
});
