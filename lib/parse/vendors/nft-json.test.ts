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

describe("nftables JSON: verdict maps, fib and expressions the reader cannot write", () => {
  // libnftables-json(5): a MAP object ("map": "verdict", elem [[key, {"jump": {"target": …}}]]), the VMAP statement
  // ({"vmap": {"key": …, "data": "@name" | {"set": [[k, v], …]}}}), the FIB expression ({"fib": {"result": "oif",
  // "flags": ["saddr", "iif"]}} compared with false: "missing"). Each JSON below is `nft -j list ruleset` (nftables
  // 1.0.6) of the text ruleset beside it; the verdicts must equal the text reader's.
  test("a named verdict map's jump is followed, as in the text ruleset", () => {
    // table inet filter { set fresh4 {…}; map portv { type inet_service : verdict; elements = { 443 : jump fresh } }
    //   chain input { … policy drop; ct state vmap { invalid : drop, established : accept, related : accept }
    //     iifname "lo" accept; meta l4proto tcp th dport 443 ip saddr @fresh4 accept; tcp dport vmap @portv … }
    //   chain fresh { ip saddr 34.231.245.167 accept; ip saddr 0.0.0.0/0 return } }
    const out = parseNftJson(
      String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "filter", "handle": 3}}, {"set": {"family": "inet", "name": "fresh4", "table": "filter", "type": "ipv4_addr", "handle": 3, "flags": ["interval"], "elem": [{"prefix": {"addr": "44.206.73.232", "len": 29}}, "52.1.32.88", "52.1.37.96"]}}, {"map": {"family": "inet", "name": "portv", "table": "filter", "type": "inet_service", "handle": 4, "map": "verdict", "elem": [[443, {"jump": {"target": "fresh"}}]]}}, {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"chain": {"family": "inet", "table": "filter", "name": "fresh", "handle": 2}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 6, "expr": [{"vmap": {"key": {"ct": {"key": "state"}}, "data": {"set": [["invalid", {"drop": null}], ["established", {"accept": null}], ["related", {"accept": null}]]}}}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 8, "comment": "freshworks", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@fresh4"}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 9, "expr": [{"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": "@portv"}}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 12, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"set": ["18.208.240.77", "52.201.75.8"]}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [80, {"range": [443, 445]}]}}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 13, "expr": [{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "34.231.139.135"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 14, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "34.231.139.135"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "fresh", "handle": 15, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "34.231.245.167"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "fresh", "handle": 16, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "0.0.0.0", "len": 0}}}}, {"return": null}]}}]}`,
    );
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "not-understood" || f.kind === "note"),
      [],
    );
    assert.equal(verdict(out, "34.231.245.167"), "34.231.245.167 → TCP 443: allowed by line 1.");
  });

  test("fib reverse-path and daddr-type checks read as in the text ruleset", () => {
    // chain pre { … prerouting … fib saddr . iif oif missing drop; meta nfproto ipv6 fib saddr . mark . iif oif
    //   missing drop; fib daddr . iif type != { local, broadcast, multicast } drop }
    // chain input { … policy drop; fib daddr type != local drop; iifname "eth0" ip saddr { 52.1.37.96, 52.1.32.88 }
    //   tcp dport 443 accept }
    const out = parseNftJson(
      String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "filter", "handle": 5}}, {"chain": {"family": "inet", "table": "filter", "name": "pre", "handle": 1, "type": "filter", "hook": "prerouting", "prio": -300, "policy": "accept"}}, {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 2, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"rule": {"family": "inet", "table": "filter", "chain": "pre", "handle": 3, "expr": [{"match": {"op": "==", "left": {"fib": {"result": "oif", "flags": ["saddr", "iif"]}}, "right": false}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "pre", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "nfproto"}}, "right": "ipv6"}}, {"match": {"op": "==", "left": {"fib": {"result": "oif", "flags": ["saddr", "mark", "iif"]}}, "right": false}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "pre", "handle": 6, "expr": [{"match": {"op": "!=", "left": {"fib": {"result": "type", "flags": ["daddr", "iif"]}}, "right": {"set": ["local", "broadcast", "multicast"]}}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "expr": [{"match": {"op": "!=", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": "local"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 9, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"set": ["52.1.32.88", "52.1.37.96"]}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}]}`,
    );
    assert.deepEqual(out.findings, []);
    assert.equal(out.path?.ingress, "eth0");
    assert.match(verdict(out, "52.1.37.96"), /^52\.1\.37\.96 → TCP 443: allowed by the default of .*, then line 1\.$/);
  });

  test("a match the reader cannot write keeps its rule: a drop with it is counted on", () => {
    // ip saddr 52.1.37.96 osf name "Linux" drop; ip saddr { 52.1.37.96, 52.1.32.88 } tcp dport 443 accept
    const out = parseNftJson(
      String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "filter", "handle": 4}}, {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 2, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "52.1.37.96"}}, {"match": {"op": "==", "left": {"fib": {"result": "oif", "flags": ["saddr", "iif"]}}, "right": false}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "52.1.37.96"}}, {"match": {"op": "==", "left": {"osf": {"key": "name"}}, "right": "Linux"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"set": ["52.1.32.88", "52.1.37.96"]}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}]}`,
    );
    assert.match(verdict(out, "52.1.37.96"), /blocked by line 1/);
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 1.");
  });
});

describe("nftables JSON: notrack", () => {
  // {"notrack": null} (libnftables-json(5)) is the notrack statement: later ct state matches see "untracked". The JSON
  // is nft -j list ruleset of the notrack ruleset of nftables.test.ts ("notrack"); verdicts checked in the kernel.
  test("the notrack statement is kept, not ignored", () => {
    const out = parseNftJson(
      String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "raw", "handle": 3}}, {"chain": {"family": "inet", "table": "raw", "name": "pre", "handle": 1, "type": "filter", "hook": "prerouting", "prio": -300, "policy": "accept"}}, {"rule": {"family": "inet", "table": "raw", "chain": "pre", "handle": 2, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.10"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "raw", "chain": "pre", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"notrack": null}]}}, {"table": {"family": "inet", "name": "filter", "handle": 4}}, {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 2, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.8"}}, {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "new"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.9"}}, {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "untracked"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.10"}}, {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "new"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "3.74.148.11"}}, {"vmap": {"key": {"ct": {"key": "state"}}, "data": {"set": [["new", {"drop": null}], ["untracked", {"accept": null}]]}}}]}}]}`,
    );
    assert.match(verdict(out, "3.74.148.8"), /blocked/);
    assert.match(verdict(out, "3.74.148.9"), /allowed/);
  });
});

describe("nftables JSON: dnat", () => {
  // {"dnat": {"addr": "10.0.0.5", "port": 8443}} and {"ct": {"key": "proto-dst", "dir": "original"}}
  // (libnftables-json(5)): nft -j list ruleset of the dnat ruleset of nftables.test.ts; the same verdicts.
  test("the dnat statement and ct original proto-dst are kept", () => {
    const out = parseNftJson(
      String.raw`{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "ip", "name": "nat", "handle": 3}}, {"chain": {"family": "ip", "table": "nat", "name": "prerouting", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}}, {"chain": {"family": "ip", "table": "nat", "name": "postrouting", "handle": 2, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}}, {"rule": {"family": "ip", "table": "nat", "chain": "prerouting", "handle": 3, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"dnat": {"addr": "10.0.0.5", "port": 8443}}]}}, {"rule": {"family": "ip", "table": "nat", "chain": "postrouting", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth0"}}, {"masquerade": null}]}}, {"table": {"family": "inet", "name": "filter", "handle": 4}}, {"chain": {"family": "inet", "table": "filter", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}}, {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 2, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 3, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth1"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "52.1.37.96"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "10.0.0.5"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 8443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth1"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "52.1.32.88"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "10.0.0.5"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 5, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}, {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth1"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "18.208.240.77"}}, {"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}}, {"match": {"op": "==", "left": {"ct": {"key": "proto-dst", "dir": "original"}}, "right": 443}}, {"accept": null}]}}]}`,
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 1.");
    assert.match(verdict(out, "52.1.32.88"), /blocked/);
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 1.");
  });
});
