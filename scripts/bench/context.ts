import { connect } from "@/db/client";
import type { Deps } from "@/lib/domain/deps";
import { JobQueue } from "@/lib/jobs/queue";
import type { AppServer } from "./app-server";
import type { Figure, MachineLimits } from "./figures";
import type { ScaleName } from "./dataset";

export interface BenchContext {
  scale: ScaleName;
  /** The data set's database. */
  url: string;
  /** The server it lives on, for scratch databases. */
  adminUrl: string;
  runs: number;
  limits: MachineLimits;
  /** The production build serving the data set, started on first use. */
  app: () => Promise<AppServer>;
  /** A port no other part of the run uses, for extra app instances. */
  sparePort: (n: number) => number;
  log: (line: string) => void;
}

export type Section = (ctx: BenchContext) => Promise<Figure[]>;

/** Domain functions called directly, as a page would, on a pool of their own. */
export async function withDeps<T>(url: string, fn: (deps: Deps) => Promise<T>, max = 6): Promise<T> {
  const { db, close } = connect(url, { max });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    return await fn(deps);
  } finally {
    await deps.jobs.stop().catch(() => {});
    await close();
  }
}

/** Calls fn `runs` times after one warm-up and returns each run's milliseconds. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>, warmUp = true): Promise<number[]> {
  if (warmUp) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}
