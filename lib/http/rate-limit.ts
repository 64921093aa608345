/**
 * Fixed-window rate limiting in process memory: enough to blunt bursts and guessing against one
 * instance. Behind several instances each keeps its own window (documented in the README).
 */
export class RateLimiter {
  #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Returns the seconds to wait when the key is over its limit, or 0 when the call may proceed. */
  take(key: string, now = Date.now()): number {
    const window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.#windows.size > 10_000) this.#sweep(now);
      this.#windows.set(key, { count: 1, resetAt: now + this.windowMs });
      return 0;
    }
    window.count += 1;
    return window.count > this.limit ? Math.ceil((window.resetAt - now) / 1000) : 0;
  }

  #sweep(now: number) {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

/** The caller's address for rate limiting: the first X-Forwarded-For hop behind a proxy, else one shared bucket. */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
}
