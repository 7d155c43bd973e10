/**
 * Cloudflare IP Access rules (API list response and bare rule arrays), with exact entries and verdicts.
 * https://developers.cloudflare.com/waf/tools/ip-access-rules/ (parameters, precedence: IP, IP range, ASN, country;
 * the actions page: "The Allow action takes precedence over the Block action")
 * and https://developers.cloudflare.com/api/resources/firewall/subresources/access_rules/ (response shape).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCloudflare } from "./cloudflare";
import { parseAllowlistJson } from "./allowlist-json";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const LIST = `{
  "result": [
    {
      "id": "92f17202ed8bd63d69a66b86a49a8f6b",
      "mode": "whitelist",
      "configuration": { "target": "ip_range", "value": "52.1.32.0/24" },
      "notes": "Freshworks US",
      "paused": false
    },
    {
      "id": "0b3a1f0d5e0e4c1aa1f0c6f2b8a7d3e1",
      "mode": "block",
      "configuration": { "target": "ip", "value": "52.1.32.88" },
      "notes": "abuse 2026-10"
    },
    {
      "id": "2c9f0a5b3d7e4f8a9b1c2d3e4f5a6b7c",
      "mode": "managed_challenge",
      "configuration": { "target": "ip6", "value": "2406:da00:ff00::1" }
    },
    {
      "id": "6a1e0c3f7b2d4e5f8a9b0c1d2e3f4a5b",
      "mode": "block",
      "configuration": { "target": "country", "value": "T1" }
    },
    {
      "id": "7b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f",
      "mode": "whitelist",
      "configuration": { "target": "ip", "value": "3.74.148.9" },
      "paused": true
    }
  ],
  "success": true,
  "errors": [],
  "messages": []
}
`;

describe("Cloudflare IP Access rules", () => {
  test("single IPs before ranges; challenges stop webhooks; ASN/country rules noted; paused rules never met", () => {
    const out = parseCloudflare(LIST);
    assert.deepEqual(pathRows(out), {
      entries: [
        [13, "52.1.32.88", "address", "deny", "in", "", "", "", 0, "52.1.32.88", "abuse 2026-10", 0, ""],
        [
          19,
          "2406:da00:ff00::1",
          "address",
          "deny",
          "in",
          "",
          "",
          "",
          0,
          "2406:da00:ff00::1",
          "managed_challenge: a webhook sender cannot pass a challenge",
          0,
          "",
        ],
        [29, "3.74.148.9", "address", "allow", "in", "", "", "", 0, "3.74.148.9", "", 0, "the rule is paused"],
        [6, "52.1.32.0/24", "cidr", "allow", "in", "", "", "", 0, "52.1.32.0/24", "Freshworks US", 0, ""],
      ],
      findings: [
        // The block on 52.1.32.88 lies inside the allowed 52.1.32.0/24: "The Allow action takes precedence over the
        // Block action" (https://developers.cloudflare.com/waf/tools/ip-access-rules/actions/) says it may pass.
        [
          13,
          "note",
          "An Allow rule (line 6) also holds addresses of this rule: the verdicts read single IPs first, then ranges in listing order, but Cloudflare documents that Allow takes precedence over Block, which would let them through. Check which one applies.",
        ],
        [24, "note", "A rule on a country (T1) cannot be checked against addresses: not read."],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 13 in Cloudflare IP Access rules.");
    assert.equal(verdict(out, "52.1.32.89"), "52.1.32.89 → TCP 443: allowed by line 6.");
    assert.equal(
      verdict(out, "198.51.100.1"),
      "198.51.100.1 → TCP 443: allowed by the default of Cloudflare IP Access rules.",
    );
    assertWins(LIST, "cloudflare");
  });
});

// WAF custom rules (https://developers.cloudflare.com/waf/custom-rules/, the ruleset of the
// http_request_firewall_custom phase): in order, a block or challenge stops the request, skip with ruleset "current"
// skips the remaining custom rules (https://developers.cloudflare.com/waf/custom-rules/skip/), what none stops passes.
// It was read as a plain list: "{52.1.37.96" and the other tokens were invalid lines, "52.1.32.88" an allowed address.
const CUSTOM = `{
  "result": {
    "id": "2c0fc9fa937b11eaa1b71c4d701ab86e",
    "name": "default",
    "kind": "zone",
    "phase": "http_request_firewall_custom",
    "rules": [
      {
        "id": "1",
        "action": "skip",
        "action_parameters": { "ruleset": "current" },
        "expression": "(ip.src in {52.1.37.96 18.208.240.0/24} and http.request.uri.path eq \\"/webhook\\")",
        "description": "Freshworks",
        "enabled": true
      },
      {
        "id": "2",
        "action": "block",
        "expression": "(not ip.src in {52.1.37.96 52.1.32.88})",
        "description": "allowlist only",
        "enabled": true
      },
      {
        "id": "3",
        "action": "block",
        "expression": "ip.src eq 52.1.32.88",
        "enabled": false
      },
      {
        "id": "4",
        "action": "managed_challenge",
        "expression": "ip.src.country in {\\"US\\"}"
      }
    ]
  },
  "success": true,
  "errors": [],
  "messages": []
}
`;

describe("Cloudflare WAF custom rules", () => {
  test("skip and block on ip.src sets, in order; not ip.src in {…} blocks the rest exactly", () => {
    const out = parseCloudflare(CUSTOM);
    assertWins(CUSTOM, "cloudflare");
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          12,
          "note",
          'Its other conditions (http.request.uri.path eq "/webhook") are read as matching the webhook\'s requests.',
        ],
        [
          32,
          "not-understood",
          'A condition on the sender\'s country or network (ip.src.country in {"US"}) cannot be checked against addresses: this rule is left out of the verdicts.',
        ],
      ],
    );
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 12.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: allowed by the default of Cloudflare WAF custom rules.",
    );
    assert.equal(
      verdict(out, "34.231.139.135"),
      "34.231.139.135 → TCP 443: blocked by line 19 in Cloudflare WAF custom rules.",
    );
  });

  test("not (ip.src in {…}) is the negated set; a list ($name) not in the paste is read as empty, and said", () => {
    // Cloudflare Rules language: "not" applies to a parenthesised expression; lists are referenced as $name
    // (https://developers.cloudflare.com/ruleset-engine/rules-language/operators/,
    // https://developers.cloudflare.com/waf/tools/lists/use-in-expressions/). Both used to be "not understood … left
    // out of the verdicts", and the diff then read every address as passing.
    const rules = (expr: string) =>
      `{\n  "result": {\n    "phase": "http_request_firewall_custom",\n    "rules": [\n      {\n        "action": "block",\n        "expression": ${JSON.stringify(expr)},\n        "enabled": true\n      }\n    ]\n  }\n}\n`;
    const paren = parseCloudflare(rules("not (ip.src in {52.1.37.96 18.208.240.0/24})"));
    assert.deepEqual(paren.findings, []);
    assert.equal(
      verdict(paren, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of Cloudflare WAF custom rules.",
    );
    assert.equal(
      verdict(paren, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 7 in Cloudflare WAF custom rules.",
    );
    // A double negation is the set itself.
    assert.equal(
      verdict(parseCloudflare(rules("!(not ip.src in {52.1.37.96})")), "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 7 in Cloudflare WAF custom rules.",
    );
    const allowList = parseCloudflare(rules('(http.host eq "hooks.example.com" and not ip.src in $freshworks_nat)'));
    assert.deepEqual(
      allowList.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          7,
          "undefined-reference",
          "The list $freshworks_nat is not in the paste: read as empty, so this rule blocks every address (paste the list's items as ip.src in {…} to check them).",
        ],
        [
          7,
          "note",
          'Its other conditions (http.host eq "hooks.example.com") are read as matching the webhook\'s requests.',
        ],
      ],
    );
    assert.equal(
      verdict(allowList, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 7 in Cloudflare WAF custom rules.",
    );
    const blockList = parseCloudflare(rules("ip.src in $cf.open_proxies"));
    assert.deepEqual(
      blockList.findings.map((f) => f.message),
      ["The list $cf.open_proxies is not in the paste: read as empty, so this rule matches no address."],
    );
    assert.deepEqual(blockList.entries, []);
    // An escaped quote before ip.src in the expression no longer hides the ruleset from detection.
    assertWins(rules('(http.host eq "hooks.example.com" and not ip.src in {52.1.37.96})'), "cloudflare");
  });

  // A hang guard, not a speed figure: stripping one layer at a time took the square of the length (a 200 kB
  // expression, about two minutes); it is read in one pass now (well under a second).
  test("an expression in 100,000 nested parentheses is read like the bare one", { timeout: 60_000 }, () => {
    const expr = `${"(".repeat(100_000)}ip.src in {52.1.37.96}${")".repeat(100_000)}`;
    const out = parseCloudflare(
      JSON.stringify({
        result: { phase: "http_request_firewall_custom", rules: [{ expression: expr, action: "block" }] },
      }),
    );
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 1 in Cloudflare WAF custom rules.");
    assert.equal(
      verdict(out, "52.1.37.97"),
      "52.1.37.97 → TCP 443: allowed by the default of Cloudflare WAF custom rules.",
    );
  });
});

describe("this app's JSON export", () => {
  test("each prefix on the document's protocol and ports", () => {
    const text = `{
  "provider": "Freshworks",
  "scope": "full",
  "protocol": "tcp",
  "ports": [{ "from": 443, "to": 443 }, { "from": 8000, "to": 8100 }],
  "destination": null,
  "prefixes": [
    { "cidr": "52.1.37.96/32", "family": 4, "regions": ["US"], "products": ["Freshchat"] },
    { "cidr": "2406:da00:ff00::/48", "family": 6 },
    { "cidr": "52.1.37.300/32", "family": 4 }
  ]
}
`;
    const out = parseAllowlistJson(text);
    assert.deepEqual(pathRows(out).entries, [
      [8, "52.1.37.96", "cidr", "allow", "in", "tcp", "443,8000-8100", "", 0, "52.1.37.96/32", "US Freshchat", 0, ""],
      [
        9,
        "2406:da00:ff00::/48",
        "cidr",
        "allow",
        "in",
        "tcp",
        "443,8000-8100",
        "",
        0,
        "2406:da00:ff00::/48",
        "",
        0,
        "",
      ],
    ]);
    assert.deepEqual(
      pathRows(out).findings.map((f) => [f[0], f[1]]),
      [[10, "invalid"]],
    );
    assertWins(text, "allowlist-json");
  });

  // A country or ASN block stops every address located there unless an IP rule allows it
  // (https://developers.cloudflare.com/waf/tools/ip-access-rules/parameters/); the published NAT IPs are AWS addresses
  // in the US, DE, IN and AU. The finding said only "not read", which let a US block pass as harmless.
  test("a block on a country or ASN is a note that it may stop published addresses", () => {
    const text = `{"result": [
  { "mode": "block", "configuration": { "target": "country", "value": "US" } },
  { "mode": "managed_challenge", "configuration": { "target": "asn", "value": "AS16509" } },
  { "mode": "whitelist", "configuration": { "target": "country", "value": "DE" } }
]}`;
    assert.deepEqual(
      parseCloudflare(text).findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "note",
          "A block rule on a country (US) cannot be checked against addresses: published addresses in it are stopped unless an IP or IP range rule allows them; check where they are.",
        ],
        [
          3,
          "note",
          "A managed_challenge rule on an ASN (AS16509) cannot be checked against addresses: published addresses in it are stopped unless an IP or IP range rule allows them; check where they are.",
        ],
        [4, "note", "A rule on a country (DE) cannot be checked against addresses: not read."],
      ],
    );
  });
});
