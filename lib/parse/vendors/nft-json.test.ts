/**
 * nftables JSON: the output of a real `nft -j list ruleset` (nftables 1.0.6, Debian 12) for the ruleset below,
 * converted to nft text and read by the nftables reader; entries map back to the JSON objects' lines.
 * Format: libnftables-json(5).
 *
 *   table inet filter {
 *     set freshworks { type ipv4_addr; flags interval; elements = { 52.1.37.96, 3.74.148.8/30, 44.206.73.232-44.206.73.239 } }
 *     chain input { type filter hook input priority filter; policy drop;
 *       ct state established,related accept; iif "lo" accept; ip saddr 3.74.148.9 drop
 *       ip saddr @freshworks tcp dport { 443, 8443 } counter accept
 *       ip6 saddr 2406:da00:ff00::/48 tcp dport 443 accept }
 *   }
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseNftJson } from "./nft-json";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const ONE_LINE = String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "filter", "handle": 1}}, {"set": {"family": "inet", "name": "freshworks", "table": "filter", "type": "ipv4_addr", "handle": 2, "flags": ["interval"], "elem": [{"prefix": {"addr": "3.74.148.8", "len": 30}}, {"prefix": {"addr": "44.206.73.232", "len": 29}}, "52.1.37.96"]}}, {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 3, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.9"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@freshworks"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [443, 8443]}}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 8, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}}, "right": {"prefix": {"addr": "2406:da00:ff00::", "len": 48}}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}]}`;

describe("nftables JSON", () => {
  test("one line, as nft prints it: every entry on line 1, the same verdicts as the text ruleset", () => {
    const out = parseNftJson(ONE_LINE);
    // The ct state and loopback accepts are kept as rules a new inbound connection never meets; the chain's drop
    // policy is its context's fall-through.
    const established = "ct state { established, related }: a new connection's state is NEW";
    const loopback = "only traffic arriving on lo, not from the Internet";
    assert.deepEqual(
      pathRows(out).entries.map((r) => [r[0], r[1], r[3], r[5], r[6], r[7], r[12]]),
      [
        [1, "0.0.0.0/0", "allow", "", "", "", established],
        [1, "::/0", "allow", "", "", "", established],
        [1, "0.0.0.0/0", "allow", "", "", "", loopback],
        [1, "::/0", "allow", "", "", "", loopback],
        [1, "3.74.148.9", "deny", "", "", "", ""],
        [1, "3.74.148.8/30", "allow", "tcp", "443,8443", "freshworks", ""],
        [1, "44.206.73.232/29", "allow", "tcp", "443,8443", "freshworks", ""],
        [1, "52.1.37.96", "allow", "tcp", "443,8443", "freshworks", ""],
        [1, "2406:da00:ff00::/48", "allow", "tcp", "443", "", ""],
      ],
    );
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.fallthrough, c.onPath]),
      [["inet filter input (hook input, priority 0)", "deny", true]],
    );
    assert.deepEqual(out.findings, []);
    assert.match(verdict(out, "3.74.148.10", 8443), /^3\.74\.148\.10 → TCP 8443: allowed by line 1/);
    assert.match(verdict(out, "3.74.148.9"), /^3\.74\.148\.9 → TCP 443: blocked by line 1/);
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of inet filter input (hook input, priority 0) (line 1) matches, and its default is deny.",
    );
    assertWins(ONE_LINE, "nftables-json");
  });

  test("pretty-printed (jq .): entries point at their set and rule objects", () => {
    const pretty = JSON.stringify(JSON.parse(ONE_LINE), null, 2) + "\n";
    const lines = pretty.split("\n");
    const lineOf = (needle: string, nth = 0): number =>
      lines.map((l, i) => (l.includes(needle) ? i + 1 : 0)).filter((n) => n > 0)[nth]!;
    const out = parseNftJson(pretty);
    const rule = (n: number) => lineOf('"rule": {', n);
    const set = lineOf('"set": {');
    assert.deepEqual(
      out.entries.map((e) => e.line),
      [rule(0), rule(0), rule(1), rule(1), rule(2), set, set, set, rule(4)],
    );
    assert.equal(out.entries[5]!.ruleLine, rule(3));
  });
});
