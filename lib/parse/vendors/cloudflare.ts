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
import { isJsWhitespace } from "../lines";
import { IPSet, compareAddress } from "../../ip";
import { type AddressTerm, type Line, finding, readAddressTerm, TextLines } from "./common";
import { pathEntry } from "./hostcommon";
import { type JNode, field, items, looksLikeJson, readJson, str } from "./jsonloc";
import { BOTH_FAMILIES, anyTerms, detectHead } from "./linuxcommon";

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
  const ruleset = customRuleset(root);
  if (ruleset !== undefined) return { ...base, ...readCustomRules(ruleset, lines) };
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
 * A WAF custom rules ruleset (`GET /zones/{id}/rulesets/phases/http_request_firewall_custom/entrypoint`: `{"result":
 * {"phase": …, "rules": […]}}`, the ruleset itself, or its rules): its rules, when they carry expressions.
 */
function customRuleset(root: JNode): readonly JNode[] | undefined {
  const result = field(root, "result");
  const set = result?.t === "obj" ? result : root;
  const rules = set.t === "arr" ? set : field(set, "rules");
  const list = items(rules);
  return list.length > 0 && list.some((r) => str(field(r, "expression")) !== undefined) ? list : undefined;
}

function otherConditions(at: Line, other: readonly string[]): Finding {
  return finding(
    at,
    "note",
    `Its other conditions (${other.join(" and ")}) are read as matching the webhook's requests.`,
  );
}

/** Terminating actions that stop a webhook sender (it answers no challenge). */
const STOPS = new Set(["block", "challenge", "js_challenge", "managed_challenge"]);

/** Splits an expression at its top-level `and`/`&&` (or `or`/`||`), outside parentheses, braces and quotes. */
function splitTop(expr: string, words: readonly string[]): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "(" || c === "{") depth++;
    else if (c === ")" || c === "}") depth--;
    else if (depth === 0)
      for (const w of words) {
        const alpha = /^[a-z]/.test(w);
        if (
          expr.startsWith(w, i) &&
          (!alpha || (/\s/.test(expr[i - 1] ?? " ") && /\s/.test(expr[i + w.length] ?? " ")))
        ) {
          out.push(expr.slice(start, i));
          start = i + w.length;
          i = start - 1;
          break;
        }
      }
  }
  out.push(expr.slice(start));
  return out.map((t) => t.trim());
}

/**
 * Strips parentheses that enclose the whole term, in one pass: each "(" is matched once, and a layer is stripped while
 * the outer "(" does not close before the outer ")". Stripping a layer at a time and rescanning the rest took the
 * square of the length (a 200 kB expression of nested parentheses: about two minutes).
 */
function unwrap(term: string): string {
  const t = term.trim();
  const match = new Int32Array(t.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "(") open.push(i);
    else if (t[i] === ")" && open.length > 0) match[open.pop()!] = i;
  }
  let lo = 0;
  let hi = t.length - 1;
  while (lo < hi && t[lo] === "(" && t[hi] === ")" && (match[lo] === -1 || match[lo]! >= hi)) {
    lo++;
    hi--;
    while (lo <= hi && isJsWhitespace(t.charCodeAt(lo))) lo++;
    while (hi >= lo && isJsWhitespace(t.charCodeAt(hi))) hi--;
  }
  return t.slice(lo, hi + 1);
}

/**
 * WAF custom rules (https://developers.cloudflare.com/waf/custom-rules/): run in order after the IP Access rules; the
 * first match with a terminating action (block, the challenges) stops the request, `skip` with `ruleset: "current"`
 * skips the remaining custom rules (https://developers.cloudflare.com/waf/custom-rules/skip/), `log` goes on, and what
 * no rule stops passes. Read when the expression's address test is `ip.src in {…}`, `not ip.src in {…}`,
 * `ip.src eq A` or `ip.src ne A`, ANDed with conditions on other fields, which are read as matching the webhook's
 * requests (the line says so); a rule without an address test is read as not the webhook's; any other expression is
 * a finding and is not read.
 */
function readCustomRules(
  rules: readonly JNode[],
  lines: TextLines,
): Pick<ParseOutput, "entries" | "findings" | "path"> {
  const entries: Entry[] = [];
  const findings: Finding[] = [];
  for (const rule of rules) {
    const exprNode = field(rule, "expression");
    const expr = str(exprNode) ?? "";
    const at = lines.at((exprNode ?? rule).line);
    const action = str(field(rule, "action")) ?? "";
    const enabled = field(rule, "enabled");
    const unmet = enabled?.t === "lit" && enabled.v === false ? "the rule is disabled" : undefined;
    const skipsRest = action === "skip" && str(field(field(rule, "action_parameters"), "ruleset")) === "current";
    if (!STOPS.has(action) && !skipsRest) continue;
    const verdict = STOPS.has(action) ? "deny" : "allow";
    if (splitTop(unwrap(expr), ["or", "||", "xor", "^^"]).length > 1) {
      findings.push(
        finding(at, "not-understood", "An expression with or is not read: this rule is left out of the verdicts."),
      );
      continue;
    }
    const terms = splitTop(unwrap(expr), ["and", "&&"]).map(unwrap);
    const ipTerms = terms.filter((t) => /\bip\.src\b(?!\.)/.test(t));
    const other = terms.filter((t) => !ipTerms.includes(t));
    if (other.some((t) => /\bip\.(?:src|geoip)\./.test(t))) {
      findings.push(
        finding(
          at,
          "not-understood",
          `A condition on the sender's country or network (${other.find((t) => /\bip\.(?:src|geoip)\./.test(t))}) cannot be checked against addresses: this rule is left out of the verdicts.`,
        ),
      );
      continue;
    }
    if (ipTerms.length === 0) {
      if (verdict === "deny" && unmet === undefined)
        findings.push(
          finding(
            at,
            "note",
            `This ${action} rule does not test the sender's address: read as not matching the webhook's requests.`,
          ),
        );
      continue;
    }
    // "not (ip.src in {…})": the negation of a parenthesised test (Cloudflare Rules language, logical operators).
    const outer = ipTerms.length === 1 ? /^(?:not\s+|!\s*)(\([\s\S]*\))$/.exec(ipTerms[0]!) : null;
    const inner = outer !== null ? unwrap(outer[1]!) : undefined;
    const ipTerm = inner !== undefined && !inner.startsWith("(") ? inner : ipTerms[0]!;
    const flip = ipTerm !== ipTerms[0];
    const list = ipTerms.length === 1 ? /^(not\s+|!\s*)?ip\.src\s+in\s+\$([\w.]+)$/.exec(ipTerm) : null;
    if (list !== null) {
      // An IP list (https://developers.cloudflare.com/waf/tools/lists/) is kept outside the rule: read as empty.
      const negatedList = (list[1] !== undefined) !== flip;
      findings.push(
        finding(
          at,
          "undefined-reference",
          `The list $${list[2]} is not in the paste: read as empty, so this rule ${negatedList ? `${action}s every address (paste the list's items as ip.src in {…} to check them)` : "matches no address"}.`,
        ),
      );
      if (other.length > 0) findings.push(otherConditions(at, other));
      if (negatedList) {
        const facts = { action: verdict, direction: "in", comment: str(field(rule, "description")), unmet } as const;
        for (const term of anyTerms(BOTH_FAMILIES, `not $${list[2]}`)) entries.push(pathEntry(at, term, facts));
      }
      continue;
    }
    const m =
      ipTerms.length === 1
        ? (/^(not\s+|!\s*)?ip\.src\s+in\s+\{([^}]*)\}$/.exec(ipTerm) ??
          /^ip\.src\s+(eq|==|ne|!=)\s+(\S+)$/.exec(ipTerm))
        : null;
    if (m === null) {
      findings.push(
        finding(
          at,
          "not-understood",
          `The address test "${ipTerms.join(" and ")}" is not read (only ip.src in {…}, not ip.src in {…}, ip.src eq/ne): this rule is left out of the verdicts.`,
        ),
      );
      continue;
    }
    const isSet = m[0].includes("{");
    const negated = (isSet ? m[1] !== undefined : m[1] === "ne" || m[1] === "!=") !== flip;
    const values = isSet
      ? m[2]!
          .trim()
          .split(/\s+/)
          .filter((v) => v !== "")
      : [m[2]!];
    const terms2: AddressTerm[] = [];
    for (const v of values) {
      const r = readAddressTerm(v.replace("..", "-"));
      if (r.ok) terms2.push(r.term);
      else findings.push(finding(at, r.kind, r.message));
    }
    if (other.length > 0) findings.push(otherConditions(at, other));
    const facts = { action: verdict, direction: "in", comment: str(field(rule, "description")), unmet } as const;
    if (!negated) {
      for (const term of terms2) entries.push(pathEntry(at, term, facts));
      continue;
    }
    // "not ip.src in S": every address outside S, exactly (those in S go on to the next rules).
    const inside = IPSet.fromRanges(terms2.map((t) => t.range));
    for (const family of [4, 6] as const)
      for (const range of inside.complement(family).ranges)
        entries.push(pathEntry(at, { token: `not ${values.join(" ")}`, range, kind: "range" }, facts));
  }
  return {
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    path: {
      contexts: [
        {
          name: "Cloudflare WAF custom rules",
          line: 0,
          text: "",
          fallthrough: "allow",
          onPath: true,
          reason: "every request to the zone passes the custom rules in order; what none blocks goes on",
        },
      ],
      assumption:
        "Read as the zone's WAF custom rules, in order: a block or challenge stops the webhook, a skip of the remaining custom rules lets it on, what no rule stops passes (IP Access rules run before them).",
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
  label: "Cloudflare IP Access rules or WAF custom rules (JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    if (
      /"mode"\s*:\s*"(?:whitelist|block|challenge|js_challenge|managed_challenge)"/.test(head) &&
      /"target"\s*:\s*"(?:ip|ip6|ip_range|asn|country)"/.test(head)
    )
      return 0.95;
    // A WAF custom rules ruleset: rules with an action and an expression on ip.src.
    if (
      /"expression"\s*:\s*"(?:[^"\\\n]|\\.)*\bip\.src\b/.test(head) &&
      /"action"\s*:\s*"(?:block|skip|managed_challenge|js_challenge|challenge|log)"/.test(head)
    )
      return 0.9;
    return 0;
  },
  parse: parseCloudflare,
};
