import { describe, expect, it } from "vitest";
import { assertPublicTarget, isForbiddenAddress, OutboundRefused } from "./outbound";

describe("outbound target checks", () => {
  it("refuses metadata, loopback, private and link-local addresses", () => {
    for (const a of ["169.254.169.254", "127.0.0.1", "10.1.2.3", "172.16.5.4", "192.168.1.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0"]) {
      expect(isForbiddenAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]) expect(isForbiddenAddress(a), a).toBe(false);
  });
  it("refuses private targets by literal address and plain http, unless allowed", async () => {
    await expect(assertPublicTarget("https://169.254.169.254/latest/meta-data", false)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertPublicTarget("https://[::1]:8443/hook", false)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertPublicTarget("http://93.184.216.34/hook", false)).rejects.toThrow(/only https/);
    await expect(assertPublicTarget("https://user:pw@93.184.216.34/hook", false)).rejects.toThrow(/credentials/);
    await expect(assertPublicTarget("http://127.0.0.1:9999/hook", true)).resolves.toBeInstanceOf(URL);
  });
  it("refuses a name that resolves to loopback", async () => {
    await expect(assertPublicTarget("https://localhost/hook", false)).rejects.toThrow(/private or reserved/);
  });
});
