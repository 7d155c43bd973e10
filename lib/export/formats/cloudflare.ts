import { addressBits, formatAddress, makeAddress } from "../../ip/address";
import { formatPrefix, makePrefix } from "../../ip/prefix";
import type { Prefix } from "../../ip/types";
import { clip, destinationErrors, familyErrors, itemComment, portsText, refused, singleLine } from "../helpers";
import type { Exporter } from "../types";

/** Prefix lengths IP Access rules accept besides single addresses. */
const ACCEPTED: Record<4 | 6, readonly number[]> = { 4: [16, 24, 32], 6: [32, 48, 64, 128] };
/** More rules than this for one published prefix is refused as a likely mistake rather than split. */
const MAX_SPLIT = 256;
const MAX_NOTES = 500;

/**
 * The accepted prefixes covering exactly `p` (itself, or its subnets of the next accepted length), or the reason
 * it cannot be expressed.
 */
export function cloudflarePrefixes(p: Prefix): { ok: true; value: Prefix[] } | { ok: false; error: string } {
  const f = p.address.family;
  const target = ACCEPTED[f].find((len) => len >= p.bits) as number;
  const count = 2n ** BigInt(target - p.bits);
  if (count > BigInt(MAX_SPLIT)) {
    const sizes = ACCEPTED[f].filter((len) => len !== addressBits(f)).map((len) => `/${len}`);
    return {
      ok: false,
      error: `cloudflare: IPv${f} /${p.bits} (${formatPrefix(p)}) is not accepted (only single IPs and ${sizes.join(", ")}); splitting it would take ${count} rules`,
    };
  }
  const step = 2n ** BigInt(addressBits(f) - target);
  const out: Prefix[] = [];
  for (let k = 0n; k < count; k++) out.push(makePrefix(makeAddress(f, p.address.value + k * step), target));
  return { ok: true, value: out };
}

/**
 * A JSON array of IP Access rule bodies (POST /zones/{zone_id}/firewall/access_rules/rules, one call each) with
 * mode "whitelist". Prefixes of other lengths are split exactly into accepted ones (a /29 into 8 single IPs) and
 * refused only when that would be absurd. Access rules apply to the whole zone: ports cannot be restricted. An Allow
 * rule is an exemption from Cloudflare's security features, not an allowlist that blocks others: the warning says so.
 */
export const cloudflare = {
  id: "cloudflare",
  label: "Cloudflare IP Access rules (JSON)",
  extension: "json",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const errors = [
      ...familyErrors("cloudflare", items, { ...options, destination: undefined }, [4, 6]),
      ...destinationErrors("cloudflare", options, "IP Access rules apply to the whole zone"),
    ];
    const rules: unknown[] = [];
    for (const item of items) {
      const split = cloudflarePrefixes(item.prefix);
      if (!split.ok) {
        errors.push(split.error);
        continue;
      }
      const notes = options.comments
        ? { notes: clip(singleLine(`${options.provider} ${itemComment(item)}, ${options.catalogLabel}`), MAX_NOTES) }
        : {};
      for (const p of split.value) {
        const single = p.bits === addressBits(p.address.family);
        const target = single ? (p.address.family === 4 ? "ip" : "ip6") : "ip_range";
        const value = single ? formatAddress(p.address) : formatPrefix(p);
        rules.push({ mode: "whitelist", configuration: { target, value }, ...notes });
      }
    }
    if (errors.length > 0) return refused(errors);
    const warnings = [
      `cloudflare: IP Access rules apply to every port of the zone, not only ${options.protocol} ${portsText(options.ports)}`,
      'cloudflare: mode "whitelist" (Allow) exempts these IPs from the WAF, rate limiting and other security features; it blocks nobody else. To admit only them, add a WAF custom rule that blocks requests whose source IP is not in an IP list of them',
    ];
    return {
      ok: true,
      files: [{ name: `${baseName}.json`, mime: "application/json", content: `${JSON.stringify(rules, null, 2)}\n` }],
      warnings,
    };
  },
} satisfies Exporter;
