import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** Starts `next start` (or `next dev`) and resolves once it answers HTTP. */
export async function startNext(options: { port: number; dev?: boolean; env: NodeJS.ProcessEnv; quiet?: boolean; host?: string }): Promise<ChildProcess> {
  const args = [path.join("node_modules", "next", "dist", "bin", "next"), options.dev ? "dev" : "start", "-p", String(options.port), ...(options.host ? ["-H", options.host] : [])];
  const probeHost = options.host ?? "localhost";
  const child = spawn(process.execPath, args, { env: options.env, stdio: options.quiet ? ["ignore", "pipe", "inherit"] : "inherit" });
  child.stdout?.resume();
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`http://${probeHost}:${options.port}/signin`, { redirect: "manual" });
      if (response.status < 500) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error("next did not become ready within 120 s");
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
