import { describe, expect, it } from "vitest";
import { addressBucket, clientAddress, normalizeAddress, parseTrustProxy } from "./client-address";

const none = parseTrustProxy(undefined);
const at = (peer: string | null, forwardedFor: string | null, trust: string | undefined) =>
  clientAddress({ peer, forwardedFor }, parseTrustProxy(trust));

describe("normalizeAddress", () => {
  it("reads the forms proxies write and gives one canonical form", () => {
    expect(normalizeAddress(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0:0:0:0:1");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8:0:0:0:0:0:1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0:0:0:0:1");
    // IPv4-mapped IPv6, dotted and hex, is the IPv4 address: one client, one bucket.
    expect(normalizeAddress("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(normalizeAddress("::FFFF:c633:6404")).toBe("198.51.100.4");
    for (const bad of ["unknown", "", "1.2.3", "999.1.1.1", "::g", "1:2:3:4:5:6:7:8:9", "_hidden"]) {
      expect(normalizeAddress(bad), bad).toBeNull();
    }
  });
});

describe("parseTrustProxy", () => {
  it("takes nothing, a hop count, or addresses and CIDRs (named ranges too), and refuses the rest", () => {
    expect(parseTrustProxy("").kind).toBe("none");
    expect(parseTrustProxy("0").kind).toBe("none");
    expect(parseTrustProxy("2")).toEqual({ kind: "hops", hops: 2 });
    const cidrs = parseTrustProxy("10.0.0.0/8, 2001:db8::/32, loopback, ::ffff:192.0.2.0/120");
    expect(cidrs.kind).toBe("cidrs");
    for (const bad of ["10.0.0.0/33", "2001:db8::/129", "proxy.internal", "10.0.0.1/8/9", "10.0.0.0/x"]) {
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe("clientAddress", () => {
  it("without TRUST_PROXY is the socket's peer; X-Forwarded-For is ignored", () => {
    expect(clientAddress({ peer: "198.51.100.4", forwardedFor: "203.0.113.1" }, none)).toBe("198.51.100.4");
    expect(clientAddress({ peer: "::ffff:198.51.100.4", forwardedFor: null }, none)).toBe("198.51.100.4");
    // The peer unknown (no hook): nothing, never the header.
    expect(clientAddress({ peer: null, forwardedFor: "203.0.113.1" }, none)).toBeNull();
  });

  it("with a hop count takes that many hops from the right; the client's own entries to the left never count", () => {
    // One proxy: it appended the address it saw (the rightmost); what the client sent sits to its left.
    expect(at("10.0.0.2", "6.6.6.6, 203.0.113.9", "1")).toBe("203.0.113.9");
    expect(at("10.0.0.2", "203.0.113.9", "1")).toBe("203.0.113.9");
    // Two proxies: the outer one's entry is second from the right.
    expect(at("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", "2")).toBe("203.0.113.9");
    // Fewer entries than hops (the request skipped a proxy): the farthest known hop.
    expect(at("10.0.0.3", null, "2")).toBe("10.0.0.3");
    // Peer not visible: hop 1 is still the rightmost entry.
    expect(at(null, "6.6.6.6, 2001:db8::5", "1")).toBe("2001:db8:0:0:0:0:0:5");
    // A garbage entry where the client should be is no address, and nothing left of it is taken.
    expect(at("10.0.0.2", "6.6.6.6, unknown", "1")).toBeNull();
  });

  it("with CIDRs walks from the peer past trusted proxies (IPv4, IPv6, IPv4-mapped) to the first untrusted hop", () => {
    const trust = "10.0.0.0/8, 2001:db8:ffff::/48, ::ffff:192.0.2.0/120";
    expect(at("10.1.2.3", "6.6.6.6, 203.0.113.9", trust)).toBe("203.0.113.9");
    expect(at("10.1.2.3", "6.6.6.6, 203.0.113.9, 2001:db8:ffff::7, ::ffff:192.0.2.10", trust)).toBe("203.0.113.9");
    expect(at("::ffff:10.1.2.3", "2001:db8:1::9", trust)).toBe("2001:db8:1:0:0:0:0:9");
    // A peer outside the trusted ranges is the client, whatever it claims.
    expect(at("203.0.113.50", "6.6.6.6", trust)).toBe("203.0.113.50");
    expect(at("2001:db8:1::1", "6.6.6.6", trust)).toBe("2001:db8:1:0:0:0:0:1");
    // Everything trusted: the leftmost (the farthest hop we know).
    expect(at("10.0.0.1", "10.0.0.9", trust)).toBe("10.0.0.9");
    // Peer not visible: assumed to be the trusted proxy, so the walk starts at the rightmost entry.
    expect(at(null, "6.6.6.6, 203.0.113.9, 10.0.0.4", trust)).toBe("203.0.113.9");
    expect(at(null, null, trust)).toBeNull();
  });

  it("counts IPv6 clients per /64 and IPv4 clients per address", () => {
    expect(addressBucket("2001:db8:1:2:aaaa:0:0:1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket(normalizeAddress("2001:db8:1:2::ffff")!)).toBe("2001:db8:1:2::/64");
    expect(addressBucket("198.51.100.4")).toBe("198.51.100.4");
  });
});
