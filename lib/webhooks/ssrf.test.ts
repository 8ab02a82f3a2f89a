import { describe, expect, it } from "vitest";
import { checkUrlForm, refusalOf, resolveChecked, type SsrfPolicy } from "./ssrf";

const strict: SsrfPolicy = { allowLoopback: false, allowPrivate: false };
const dev: SsrfPolicy = { allowLoopback: true, allowPrivate: true };
const names: Record<string, string[]> = {
  "public.example": ["93.184.216.34"],
  "private.example": ["10.1.2.3"],
  "mixed.example": ["93.184.216.34", "192.168.1.10"],
  "loop.example": ["127.0.0.1"],
  "metadata.example": ["169.254.169.254"],
  "mapped.example": ["::ffff:10.0.0.1"],
  "ula.example": ["fd12::1"],
};
const lookup = async (host: string) =>
  (names[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
const resolve = (url: string, policy: SsrfPolicy) => resolveChecked(checkUrlForm(url, policy), { ...policy, lookup });

describe("the callback SSRF guard", () => {
  it("takes https only, and http only when loopback is allowed; no credentials", () => {
    expect(() => checkUrlForm("http://public.example/hook", strict)).toThrow(/https/);
    expect(() => checkUrlForm("ftp://public.example/hook", dev)).toThrow(/https/);
    expect(() => checkUrlForm("https://user:pw@public.example/hook", strict)).toThrow(/credentials/);
    expect(checkUrlForm("https://public.example/hook", strict).hostname).toBe("public.example");
  });

  it("refuses literal private, loopback, link-local and metadata addresses", () => {
    for (const url of [
      "https://10.0.0.1/x",
      "https://172.16.5.4/x",
      "https://192.168.0.1/x",
      "https://127.0.0.1/x",
      "https://[::1]/x",
      "https://169.254.1.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[fe80::1]/x",
      "https://0.0.0.0/x",
    ]) {
      expect(() => checkUrlForm(url, strict), url).toThrow();
    }
  });

  it("never allows the metadata addresses, even when the operator allows private networks", () => {
    expect(refusalOf("169.254.169.254", dev)).toMatch(/metadata/);
    expect(refusalOf("fd00:ec2::254", dev)).toMatch(/metadata/);
    expect(refusalOf("10.0.0.1", dev)).toBeNull();
    expect(refusalOf("127.0.0.1", dev)).toBeNull();
  });

  it("checks every address a name resolves to, IPv4-mapped IPv6 as IPv4", async () => {
    await expect(resolve("https://public.example/h", strict)).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    for (const host of [
      "private.example",
      "mixed.example",
      "loop.example",
      "metadata.example",
      "mapped.example",
      "ula.example",
    ]) {
      await expect(resolve(`https://${host}/h`, strict), host).rejects.toThrow(/resolves to/);
    }
    await expect(resolve("https://nothing.example/h", strict)).rejects.toThrow(/does not resolve/);
  });

  it("takes http to loopback only, when allowed", async () => {
    const loopOnly = { allowLoopback: true, allowPrivate: false };
    await expect(resolve("http://loop.example/h", loopOnly)).resolves.toMatchObject({ address: "127.0.0.1" });
    await expect(resolve("http://public.example/h", loopOnly)).rejects.toThrow(/loopback only/);
  });
});
