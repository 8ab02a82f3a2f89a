import { BlockList, isIPv4, isIPv6 } from "node:net";

/**
 * Who is at the other end: the client address that per-address limits count, and how much of `X-Forwarded-For`
 * to believe. Pure functions; lib/api/rate-limit.ts reads the request and the configuration.
 *
 * `X-Forwarded-For` is a list each proxy appends to (`client, proxy1, proxy2`); everything left of what our own
 * proxies wrote is whatever the client chose to send. So it is read from the right, and only as far as the
 * operator says (`TRUST_PROXY`):
 *   - unset: the header is ignored; the address is the socket's peer.
 *   - a hop count N: N proxies stand in front of the app; the client is the N-th address from the right (the
 *     socket's peer counts as hop 0, so `1` takes the rightmost entry, which the one proxy appended).
 *   - a list of addresses/CIDRs (or `loopback`, `linklocal`, `uniquelocal`): starting at the socket's peer,
 *     every trusted address is skipped; the first untrusted one is the client. A peer that is not trusted is the
 *     client itself, whatever it claims in the header.
 */
export type TrustProxy =
  { kind: "none" } | { kind: "hops"; hops: number } | { kind: "cidrs"; list: BlockList; entries: readonly string[] };

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

const MAX_HOPS = 32;

/** Parses `TRUST_PROXY`; throws an Error naming the bad entry (lib/env.ts reports it at start-up). */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? "").trim();
  if (!text || text === "false" || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) throw new Error(`TRUST_PROXY: at most ${MAX_HOPS} hops`);
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  const entries: string[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    for (const cidr of NAMED_RANGES[entry] ?? [entry]) {
      addCidr(list, cidr);
      entries.push(cidr);
    }
  }
  if (!entries.length) return { kind: "none" };
  return { kind: "cidrs", list, entries };
}

function addCidr(list: BlockList, cidr: string): void {
  const [addr = "", prefixText, extra] = cidr.split("/");
  if (extra !== undefined) throw new Error(`TRUST_PROXY: "${cidr}" is not an address or CIDR`);
  let address = normalizeAddress(addr);
  if (!address) throw new Error(`TRUST_PROXY: "${cidr}" is not an address or CIDR`);
  const v4 = isIPv4(address);
  const max = v4 ? 32 : 128;
  let prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  // `::ffff:10.0.0.0/104` names IPv4 addresses: normalizeAddress already turned the address into IPv4.
  if (v4 && !isIPv4(addr) && prefixText !== undefined) prefix -= 96;
  if (!(prefix >= 0 && prefix <= max)) throw new Error(`TRUST_PROXY: "${cidr}" has a bad prefix length`);
  if (!v4) address = address.replace(/%.*$/, "");
  list.addSubnet(address, prefix, v4 ? "ipv4" : "ipv6");
}

/**
 * An address in one canonical form, or null when it is not an IP address: IPv4 as is, IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`, `::ffff:102:304`) as the IPv4 address, other IPv6 as eight lower-case hextets.
 * Accepts the forms proxies write: `[v6]`, `[v6]:port`, `v4:port`, and a zone (`fe80::1%eth0`, dropped).
 */
export function normalizeAddress(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%[\w.-]*$/, "");
  if (isIPv4(s)) return s;
  if (!isIPv6(s)) return null;
  const hextets = expandIpv6(s);
  if (!hextets) return null;
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = hextets.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return hextets.map((h) => h.toString(16)).join(":");
}

function expandIpv6(s: string): number[] | null {
  let text = s.toLowerCase();
  // A trailing dotted IPv4 part counts as two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1]!.split(".").map(Number);
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (h: string) => (h ? h.split(":").map((x) => parseInt(x, 16)) : []);
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const out = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return out.length === 8 && out.every((h) => Number.isInteger(h) && h >= 0 && h <= 0xffff) ? out : null;
}

function trusted(list: BlockList, address: string): boolean {
  return list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
}

/**
 * The client's address, or null when it cannot be known. `peer` is the socket's remote address (null when the
 * app cannot see it, see lib/api/peer-address.ts); `forwardedFor` the `X-Forwarded-For` header as received.
 */
export function clientAddress(
  input: { peer: string | null; forwardedFor: string | null },
  trust: TrustProxy,
): string | null {
  const peer = input.peer === null ? null : normalizeAddress(input.peer);
  if (trust.kind === "none") return peer;
  // Nearest first: the peer (hop 0), then X-Forwarded-For from the right. An entry that is not an address stays
  // in the chain as null, so that nothing to its left can be taken for the client.
  const forwarded = (input.forwardedFor ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .reverse()
    .map(normalizeAddress);
  const chain: (string | null)[] = [peer, ...forwarded];
  if (trust.kind === "hops") {
    // Fewer entries than hops: the request did not come through every proxy; the farthest one we have is it.
    return chain[Math.min(trust.hops, chain.length - 1)] ?? null;
  }
  // Without the peer (not visible to the app) the nearest hop is assumed to be a trusted proxy: the operator who
  // names proxies must not let clients reach the app around them.
  let i = 0;
  while (i < chain.length - 1) {
    const hop = chain[i];
    if (hop === null && i === 0 && peer === null) {
      i++;
      continue;
    }
    if (hop == null || !trusted(trust.list, hop)) break;
    i++;
  }
  return chain[i] ?? null;
}

/**
 * The bucket of an address for per-address limits. IPv6 is counted per /64: one host usually holds a whole /64
 * and can rotate through it, so counting single IPv6 addresses would let one client escape any limit.
 */
export function addressBucket(address: string): string {
  if (isIPv4(address)) return address;
  const hextets = address.split(":");
  return `${hextets.slice(0, 4).join(":")}::/64`;
}
