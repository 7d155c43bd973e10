/**
 * MikroTik RouterOS `/ip firewall export`, with exact entries and verdicts. Syntax and the default configuration's
 * rules from RouterOS 7 (help.mikrotik.com "Filter", "Building Your First Firewall", "Address-lists"); chains accept
 * what no rule decides.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseMikrotik } from "./mikrotik";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const EXPORT = `
# nov/02/2026 10:15:42 by RouterOS 7.14.3
# software id = 8K2N-Q7ZT
#
# model = RB5009UG+S+
/ip firewall address-list
add address=52.1.37.96 comment="Freshworks US" list=freshworks
add address=3.74.148.8/30 comment="Freshworks EU" list=freshworks
add address=44.206.73.232-44.206.73.239 list=freshworks
add address=52.1.32.88 disabled=yes list=freshworks
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward src-address=3.74.148.9 comment="abuse"
add action=accept chain=forward comment="Freshworks webhooks to the app" \\
    connection-nat-state=dstnat dst-port=443,8443 in-interface-list=WAN \\
    protocol=tcp src-address-list=freshworks
add action=accept chain=forward disabled=yes dst-port=443 protocol=tcp src-address=52.1.32.0/24
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ipv6 firewall address-list
add address=2406:da00:ff00::/48 list=freshworks
/ipv6 firewall filter
add action=accept chain=forward dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=forward in-interface-list=WAN
`;

const FWD = "filter chain forward";

describe("MikroTik /ip firewall export", () => {
  test("defconf rules, address lists, continuations, disabled entries and rules, dst-nat forward path", () => {
    const out = parseMikrotik(EXPORT);
    const rows = pathRows(out);
    assert.deepEqual(rows.entries, [
      [12, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", "defconf: accept established,related,untracked", 0, "only connection-state=established,related,untracked"],
      [13, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop invalid", 0, "only connection-state=invalid"],
      [14, "0.0.0.0/0", "any", "allow", "in", "icmp", "", "", 0, "any", "defconf: accept ICMP", 0, ""],
      [15, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop all not coming from LAN", 0, ""],
      [17, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", "defconf: accept established,related, untracked", 1, "only connection-state=established,related,untracked"],
      [18, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop invalid", 1, "only connection-state=invalid"],
      [19, "3.74.148.9", "address", "deny", "in", "", "", "", 0, "3.74.148.9", "abuse", 1, ""],
      [7, "52.1.37.96", "address", "allow", "in", "tcp", "443,8443", "freshworks", 20, "52.1.37.96", "Freshworks webhooks to the app", 1, ""],
      [8, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443,8443", "freshworks", 20, "3.74.148.8/30", "Freshworks webhooks to the app", 1, ""],
      [9, "44.206.73.232/29", "range", "allow", "in", "tcp", "443,8443", "freshworks", 20, "44.206.73.232-44.206.73.239", "Freshworks webhooks to the app", 1, ""],
      [23, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.32.0/24", "", 1, "the rule is disabled"],
      [24, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop all from WAN not DSTNATed", 1, "only when connection-nat-state=!dstnat"],
      [26, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "443", "freshworks", 28, "2406:da00:ff00::/48", "", 1, ""],
      [29, "::/0", "any", "deny", "in", "", "", "", 0, "any", "", 1, ""],
    ]);
    assert.deepEqual(rows.findings, []);
    assert.equal(out.path?.kind, "forward");
    assert.equal(out.path?.assumption, "Read as connections to a service behind the router (chain forward); connections to the service behind the router are port-forwarded (dst-nat). Override with --path input|forward and --ingress <interface or interface list>.");
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 19 in ${FWD}.`);
    assert.equal(verdict(out, "52.1.32.88"), `52.1.32.88 → TCP 443: allowed by the default of ${FWD}.`, "a port forward is open to everyone the rules do not drop");
    assert.equal(verdict(out, "2406:da00:ff00::1"), "2406:da00:ff00::1 → TCP 443: allowed by line 26.");
    assert.equal(verdict(out, "2001:db8::1"), `2001:db8::1 → TCP 443: blocked by line 29 in ${FWD}.`);
    assertWins(EXPORT, "mikrotik");
  });

  test("--path input: the router itself, where the defconf drops everything not from LAN", () => {
    const out = parseMikrotik(EXPORT, { path: "input" });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 15 in filter chain input.");
  });

  test("--ingress names the Internet side: rules on another interface list are never met", () => {
    const out = parseMikrotik(EXPORT, { ingress: "ether2" });
    assert.equal(out.entries.find((e) => e.line === 7)?.unmet, "only when in-interface-list=WAN, and the Internet side is ether2");
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: allowed by the default of ${FWD}.`);
  });

  test("undefined lists and broken addresses are findings", () => {
    const out = parseMikrotik("/ip firewall filter\nadd action=accept chain=input src-address-list=nope\nadd action=accept chain=input src-address=52.1.37.300\n");
    assert.deepEqual(pathRows(out).findings.map((f) => [f[0], f[1]]), [
      [2, "undefined-reference"],
      [3, "invalid"],
    ]);
  });
});
