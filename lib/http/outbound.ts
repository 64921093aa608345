import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * Outbound calls to addresses people configure (webhooks, connectors) must not reach Accord's
 * own network: cloud metadata (169.254.169.254), loopback, private ranges. Checked on the
 * configured host and on every address it resolves to; redirects are never followed.
 */
const forbidden = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  forbidden.addSubnet(net, prefix, "ipv6");
}

export class OutboundRefused extends Error {}

export function isForbiddenAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) return isForbiddenAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? "ipv4" : "ipv6");
}

export async function assertPublicTarget(rawUrl: string, allowPrivate = env().ACCORD_ALLOW_PRIVATE_TARGETS): Promise<URL> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new OutboundRefused("not a valid URL");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) throw new OutboundRefused("only https:// targets are allowed");
  if (url.username || url.password) throw new OutboundRefused("credentials in the URL are not allowed");
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const bad = addresses.find(isForbiddenAddress);
  if (bad) throw new OutboundRefused(`${url.hostname} resolves to a private or reserved address (${bad})`);
  return url;
}

/** POST without following redirects (a 3xx is a failure) and with a hard timeout. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const target = await assertPublicTarget(url);
  const response = await fetch(target, { method: "POST", body, headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  const text = (await response.text()).slice(0, 2_000);
  return { status: response.status, body: text };
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** The first 64 KB of the body, as text. */
  body: string;
}

/**
 * Any method to a configured target (connectors: SCIM PATCH and GET, status URLs), with the same
 * SSRF checks, no redirects followed (a 3xx is returned as is) and a hard timeout.
 */
export async function outboundRequest(
  url: string,
  init: { method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<OutboundResponse> {
  const target = await assertPublicTarget(url);
  const response = await fetch(target, { method: init.method, body: init.body, headers: init.headers, redirect: "manual", signal: AbortSignal.timeout(init.timeoutMs ?? 10_000) });
  const text = (await response.text()).slice(0, 65_536);
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: text };
}
