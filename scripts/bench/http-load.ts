/**
 * HTTP load with autocannon, keeping every response's latency so percentiles are exact (its
 * own histogram has no p95), and counting anything but a 2xx/3xx as an error.
 */
import autocannon from "autocannon";
import { percentile } from "./figures";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Stop after this many requests in all… */
  amount?: number;
  /** …or after this many seconds. */
  duration?: number;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
  /** Per-connection set-up, e.g. to sign each connection in as a different person. */
  setupClient?: (client: autocannon.Client) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  latencies: number[];
  statuses: Record<string, number>;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        amount: options.amount,
        duration: options.duration ?? 10,
        headers: options.headers,
        requests: options.requests,
        setupClient: options.setupClient,
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 400) failed++;
    });
  });
  return {
    requests: latencies.length,
    errors: failed + result.errors + result.timeouts,
    requestsPerSecond: latencies.length / (result.duration || 1),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    latencies,
    statuses,
  };
}
