/**
 * Cloudflare IP Access rules: the API's list response (`GET /zones/{id}/firewall/access_rules/rules`,
 * `{"result":[…]}`), a bare array of rules, or the rule bodies our export writes.
 *
 * Semantics (https://developers.cloudflare.com/waf/tools/ip-access-rules/ "Parameters" and "Rule precedence"): rules
 * match by IP (ip, ip6), by range (ip_range: IPv4 /16, /24; IPv6 /32, /48, /64), by ASN or by country; a more specific
 * target wins (IP, then IP range, then ASN, then country). "whitelist" (Allow) lets a request past Cloudflare's other
 * security features, "block" blocks it, the challenges stop a webhook sender (it is not a browser). Traffic no rule
 * matches is not blocked by IP Access rules: the zone's default is allow.
 */
import type { Entry, Finding, ParseOutput, Parser } from "../types";
import { compareAddress } from "../../ip";
import { finding, readAddressTerm, TextLines } from "./common";
import { pathEntry } from "./hostcommon";
import { type JNode, field, items, looksLikeJson, readJson, str } from "./jsonloc";
import { detectHead } from "./linuxcommon";

const MODES: Readonly<Record<string, "allow" | "deny">> = {
  whitelist: "allow",
  block: "deny",
  challenge: "deny",
  js_challenge: "deny",
  managed_challenge: "deny",
};

export function parseCloudflare(text: string): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const json = readJson(text, lines);
  const base = { format: "cloudflare" as const, lineCount: lines.length, notes: [] as string[] };
  if (!json.ok) return { ...base, entries: [], findings: json.finding ? [json.finding] : [] };
  const root = json.root;
  const list: readonly JNode[] =
    root.t === "arr" ? root.items : root.t === "obj" && field(root, "result") ? items(field(root, "result")) : [root];
  // Single addresses first, then ranges: the more specific target wins whatever the listing order.
  const singles: Entry[] = [];
  const ranges: Entry[] = [];
  for (const rule of list) {
    const at = lines.at(rule.line);
    const mode = str(field(rule, "mode")) ?? "";
    const action = MODES[mode];
    const conf = field(rule, "configuration");
    const target = str(field(conf, "target")) ?? "";
    const valueNode = field(conf, "value");
    const value = str(valueNode) ?? "";
    const vline = lines.at(valueNode?.line ?? rule.line);
    if (action === undefined) {
      findings.push(finding(at, "not-understood", `Mode "${mode}" is not an IP Access rule mode.`));
      continue;
    }
    if (target === "asn" || target === "country") {
      const what = `${target === "asn" ? "an ASN" : "a country"} (${value})`;
      // The published addresses are AWS NAT IPs in the US, Germany, India and Australia (ASNs 16509/14618): a block or
      // challenge on a country or an ASN may well stop them, and no address says so. Tor (T1) never holds them.
      const stops = action === "deny" && !(target === "country" && value.toUpperCase() === "T1");
      findings.push(
        finding(
          vline,
          "note",
          stops
            ? `A ${mode} rule on ${what} cannot be checked against addresses: published addresses in it are stopped unless an IP or IP range rule allows them; check where they are.`
            : `A rule on ${what} cannot be checked against addresses: not read.`,
        ),
      );
      continue;
    }
    if (target !== "ip" && target !== "ip6" && target !== "ip_range") {
      findings.push(finding(at, "not-understood", `Target "${target}" is not ip, ip6, ip_range, asn or country.`));
      continue;
    }
    const r = readAddressTerm(value);
    if (!r.ok) {
      findings.push(finding(vline, r.kind, r.message));
      continue;
    }
    const notes = str(field(rule, "notes"));
    const paused = field(rule, "paused");
    const comment =
      mode === "whitelist" || mode === "block"
        ? notes
        : `${mode}: a webhook sender cannot pass a challenge${notes ? `; ${notes}` : ""}`;
    const e = pathEntry(vline, r.term, {
      action,
      direction: "in",
      comment,
      unmet: paused?.t === "lit" && paused.v === true ? "the rule is paused" : undefined,
    });
    (target === "ip_range" ? ranges : singles).push(e);
  }
  const entries = [...singles, ...ranges];
  findings.push(...precedenceFindings(entries));
  return {
    ...base,
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    path: {
      contexts: [
        {
          name: "Cloudflare IP Access rules",
          line: 0,
          text: "",
          fallthrough: "allow",
          onPath: true,
          reason: "every request to the zone passes the IP Access rules",
        },
      ],
      assumption:
        "Read as the zone's IP Access rules: addresses no rule blocks are let through (Allow rules only exempt addresses from Cloudflare's other security features).",
    },
  };
}

/**
 * A block or challenge whose addresses an Allow rule on another target also holds: Cloudflare documents that "the
 * Allow action takes precedence over the Block action" (https://developers.cloudflare.com/waf/tools/ip-access-rules/actions/)
 * and no order between an IP rule and a range rule beyond that, while the verdicts read single IPs first, then ranges
 * in listing order. Where the two can disagree, the line says so rather than the verdict guessing silently.
 */
function precedenceFindings(entries: readonly Entry[]): Finding[] {
  const live = (e: Entry) => e.unmet === undefined;
  const allows = entries
    .filter((e) => e.action === "allow" && live(e))
    .sort((a, b) => compareAddress(a.range.first, b.range.first));
  if (allows.length === 0) return [];
  // reach[i]: the allow among the first i+1 whose range ends last (families sort apart: IPv4 before IPv6).
  const reach: Entry[] = [];
  for (const a of allows) {
    const prev = reach[reach.length - 1];
    reach.push(prev !== undefined && compareAddress(prev.range.last, a.range.last) >= 0 ? prev : a);
  }
  const out: Finding[] = [];
  for (const d of entries) {
    if (d.action !== "deny" || !live(d)) continue;
    // The allows starting at or before the denial's end; one of them reaching its start overlaps it.
    let lo = 0;
    let hi = allows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAddress(allows[mid]!.range.first, d.range.last) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const hit = lo > 0 ? reach[lo - 1]! : undefined;
    if (hit === undefined || compareAddress(hit.range.last, d.range.first) < 0) continue;
    out.push({
      line: d.line,
      text: d.text,
      kind: "note",
      message: `An Allow rule (line ${hit.line}) also holds addresses of this rule: the verdicts read single IPs first, then ranges in listing order, but Cloudflare documents that Allow takes precedence over Block, which would let them through. Check which one applies.`,
    });
  }
  return out;
}

export const cloudflareParser: Parser = {
  id: "cloudflare",
  label: "Cloudflare IP Access rules (JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    if (
      /"mode"\s*:\s*"(?:whitelist|block|challenge|js_challenge|managed_challenge)"/.test(head) &&
      /"target"\s*:\s*"(?:ip|ip6|ip_range|asn|country)"/.test(head)
    )
      return 0.95;
    return 0;
  },
  parse: parseCloudflare,
};
