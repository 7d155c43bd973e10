import { mustParsePrefix, prefixRange, rangesOverlap, parsePrefix, type Range } from "../ip";

/**
 * Address blocks that are never a SaaS vendor's public NAT address (IANA special-purpose registries, RFC 6890 and
 * successors): a published entry touching one is almost certainly a typo or a page error.
 */
const SPECIAL: readonly { readonly cidr: string; readonly name: string }[] = [
  { cidr: "0.0.0.0/8", name: "“this network” (RFC 791)" },
  { cidr: "10.0.0.0/8", name: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", name: "shared carrier-grade NAT (RFC 6598)" },
  { cidr: "127.0.0.0/8", name: "loopback (RFC 1122)" },
  { cidr: "169.254.0.0/16", name: "link-local (RFC 3927)" },
  { cidr: "172.16.0.0/12", name: "private (RFC 1918)" },
  { cidr: "192.0.0.0/24", name: "IETF protocol assignments (RFC 6890)" },
  { cidr: "192.0.2.0/24", name: "documentation (RFC 5737)" },
  { cidr: "192.88.99.0/24", name: "6to4 relay anycast (RFC 7526)" },
  { cidr: "192.168.0.0/16", name: "private (RFC 1918)" },
  { cidr: "198.18.0.0/15", name: "benchmarking (RFC 2544)" },
  { cidr: "198.51.100.0/24", name: "documentation (RFC 5737)" },
  { cidr: "203.0.113.0/24", name: "documentation (RFC 5737)" },
  { cidr: "224.0.0.0/4", name: "multicast (RFC 5771)" },
  { cidr: "240.0.0.0/4", name: "reserved (RFC 1112)" },
  { cidr: "::/127", name: "unspecified or loopback (RFC 4291)" },
  { cidr: "::ffff:0:0/96", name: "IPv4-mapped (RFC 4291)" },
  { cidr: "64:ff9b::/96", name: "NAT64 well-known prefix (RFC 6052)" },
  { cidr: "100::/64", name: "discard-only (RFC 6666)" },
  { cidr: "2001:db8::/32", name: "documentation (RFC 3849)" },
  { cidr: "3fff::/20", name: "documentation (RFC 9637)" },
  { cidr: "fc00::/7", name: "unique local (RFC 4193)" },
  { cidr: "fe80::/10", name: "link-local (RFC 4291)" },
  { cidr: "ff00::/8", name: "multicast (RFC 4291)" },
];

const RANGES: readonly { readonly cidr: string; readonly name: string; readonly range: Range }[] = SPECIAL.map((s) => ({
  ...s,
  range: prefixRange(mustParsePrefix(s.cidr)),
}));

/** The special-purpose block `cidr` overlaps, or undefined for an ordinary public prefix (or text that is no prefix). */
export function specialRangeOf(cidr: string): { readonly cidr: string; readonly name: string } | undefined {
  const parsed = parsePrefix(cidr);
  if (!parsed.ok) return undefined;
  const range = prefixRange(parsed.value);
  const hit = RANGES.find((s) => rangesOverlap(s.range, range));
  return hit ? { cidr: hit.cidr, name: hit.name } : undefined;
}
