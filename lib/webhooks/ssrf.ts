import "server-only";
import dns from "node:dns";
import net from "node:net";

/**
 * The SSRF guard of callbacks: a URL the platform will POST to must be https (http only to loopback, and only when
 * the operator allows loopback), and every address its name resolves to must be public, unless the operator
 * allows loopback or private networks. The cloud metadata addresses are never allowed. The caller connects to the
 * address checked here (`pinnedLookup`), so a name cannot resolve to something else between check and connect.
 */

export interface SsrfPolicy {
  /** http:// and loopback addresses (development and tests). */
  allowLoopback: boolean;
  /** Private, shared (CGNAT) and link-local networks, except the metadata addresses. */
  allowPrivate: boolean;
  /** Name resolution (tests hand in their own); default dns.lookup. */
  lookup?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export class RefusedUrl extends Error {
  override readonly name = "RefusedUrl";
}

const metadata = new net.BlockList();
metadata.addAddress("169.254.169.254");
metadata.addAddress("169.254.170.2");
metadata.addAddress("fd00:ec2::254", "ipv6");

const loopback = new net.BlockList();
loopback.addSubnet("127.0.0.0", 8);
loopback.addAddress("::1", "ipv6");

const privateNets = new net.BlockList();
for (const [a, p] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
] as const) {
  privateNets.addSubnet(a, p);
}
privateNets.addSubnet("fc00::", 7, "ipv6");
privateNets.addSubnet("fe80::", 10, "ipv6");

// Never a destination: "this network", multicast, reserved, broadcast, unspecified, documentation.
const neverNets = new net.BlockList();
for (const [a, p] of [
  ["0.0.0.0", 8],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
  ["192.0.2.0", 24],
] as const) {
  neverNets.addSubnet(a, p);
}
neverNets.addAddress("::", "ipv6");
neverNets.addSubnet("ff00::", 8, "ipv6");

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function normalize(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: "ipv4" };
  return { address, type: net.isIPv6(address) ? "ipv6" : "ipv4" };
}

/** Why an address may not be called back, or null. */
export function refusalOf(raw: string, policy: SsrfPolicy): string | null {
  const { address, type } = normalize(raw);
  if (metadata.check(address, type)) return `${raw} is a cloud metadata address`;
  if (neverNets.check(address, type)) return `${raw} is not a routable destination`;
  if (loopback.check(address, type)) return policy.allowLoopback ? null : `${raw} is a loopback address`;
  if (privateNets.check(address, type)) return policy.allowPrivate ? null : `${raw} is a private or link-local address`;
  return null;
}

/** The URL's form: https (or http to loopback when allowed), no credentials. Throws RefusedUrl. */
export function checkUrlForm(raw: string, policy: SsrfPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedUrl("not a URL");
  }
  if (url.username || url.password) throw new RefusedUrl("credentials in the URL are not allowed");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowLoopback)) {
    throw new RefusedUrl("callback URLs must be https");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) {
    const why = refusalOf(host, policy);
    if (why) throw new RefusedUrl(why);
  }
  return url;
}

const systemLookup = async (hostname: string) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Resolves the URL's host once and checks every address (a name with one private address among public ones is
 * refused). http is allowed only when every address is loopback. Returns the address to connect to.
 */
export async function resolveChecked(url: URL, policy: SsrfPolicy): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const family = net.isIP(host);
  const addresses = family ? [{ address: host, family }] : await (policy.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new RefusedUrl(`${host} does not resolve`);
  for (const a of addresses) {
    const why = refusalOf(a.address, policy);
    if (why) throw new RefusedUrl(`${host} resolves to ${why}`);
  }
  if (
    url.protocol === "http:" &&
    !addresses.every((a) => loopback.check(normalize(a.address).address, normalize(a.address).type))
  ) {
    throw new RefusedUrl("http is allowed to loopback only");
  }
  return addresses[0]!;
}

/** A `lookup` for http(s).request that answers the checked address, whatever it is asked. */
export function pinnedLookup(pinned: { address: string; family: number }): net.LookupFunction {
  return ((_host: string, opts: dns.LookupOptions, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [pinned]);
    else cb(null, pinned.address, pinned.family);
  }) as unknown as net.LookupFunction;
}
