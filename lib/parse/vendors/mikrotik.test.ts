/**
 * MikroTik RouterOS `/ip firewall export`, with exact entries and verdicts. Syntax and the default configuration's
 * rules from RouterOS 7 (help.mikrotik.com "Filter", "Building Your First Firewall", "Address-lists"); chains accept
 * what no rule decides.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIND_LIMIT, parseMikrotik } from "./mikrotik";
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
      [
        12,
        "0.0.0.0/0",
        "any",
        "allow",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: accept established,related,untracked",
        0,
        "only connection-state=established,related,untracked",
      ],
      [
        13,
        "0.0.0.0/0",
        "any",
        "deny",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: drop invalid",
        0,
        "only connection-state=invalid",
      ],
      [14, "0.0.0.0/0", "any", "allow", "in", "icmp", "", "", 0, "any", "defconf: accept ICMP", 0, ""],
      [15, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop all not coming from LAN", 0, ""],
      [
        17,
        "0.0.0.0/0",
        "any",
        "allow",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: accept established,related, untracked",
        1,
        "only connection-state=established,related,untracked",
      ],
      [
        18,
        "0.0.0.0/0",
        "any",
        "deny",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: drop invalid",
        1,
        "only connection-state=invalid",
      ],
      [19, "3.74.148.9", "address", "deny", "in", "", "", "", 0, "3.74.148.9", "abuse", 1, ""],
      [
        7,
        "52.1.37.96",
        "address",
        "allow",
        "in",
        "tcp",
        "443,8443",
        "freshworks",
        20,
        "52.1.37.96",
        "Freshworks webhooks to the app",
        1,
        "",
      ],
      [
        8,
        "3.74.148.8/30",
        "cidr",
        "allow",
        "in",
        "tcp",
        "443,8443",
        "freshworks",
        20,
        "3.74.148.8/30",
        "Freshworks webhooks to the app",
        1,
        "",
      ],
      [
        9,
        "44.206.73.232/29",
        "range",
        "allow",
        "in",
        "tcp",
        "443,8443",
        "freshworks",
        20,
        "44.206.73.232-44.206.73.239",
        "Freshworks webhooks to the app",
        1,
        "",
      ],
      [23, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.32.0/24", "", 1, "the rule is disabled"],
      [
        24,
        "0.0.0.0/0",
        "any",
        "deny",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: drop all from WAN not DSTNATed",
        1,
        "only when connection-nat-state=!dstnat",
      ],
      [
        26,
        "2406:da00:ff00::/48",
        "cidr",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        28,
        "2406:da00:ff00::/48",
        "",
        1,
        "",
      ],
      [29, "::/0", "any", "deny", "in", "", "", "", 0, "any", "", 1, ""],
    ]);
    assert.deepEqual(rows.findings, []);
    assert.equal(out.path?.kind, "forward");
    assert.equal(
      out.path?.assumption,
      "Read as connections to a service behind the router (chain forward); connections to the service behind the router are port-forwarded (dst-nat). Override with --path input|forward and --ingress <interface or interface list>.",
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 19 in ${FWD}.`);
    assert.equal(
      verdict(out, "52.1.32.88"),
      `52.1.32.88 → TCP 443: allowed by the default of ${FWD}.`,
      "a port forward is open to everyone the rules do not drop",
    );
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
    assert.equal(
      out.entries.find((e) => e.line === 7)?.unmet,
      "only when in-interface-list=WAN, and the Internet side is ether2",
    );
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: allowed by the default of ${FWD}.`);
  });

  test("undefined lists and broken addresses are findings", () => {
    const out = parseMikrotik(
      "/ip firewall filter\nadd action=accept chain=input src-address-list=nope\nadd action=accept chain=input src-address=52.1.37.300\n",
    );
    assert.deepEqual(
      pathRows(out).findings.map((f) => [f[0], f[1]]),
      [
        [2, "undefined-reference"],
        [3, "invalid"],
      ],
    );
  });

  test("an action named like an Object property (action=constructor) is an action nothing decides, not an allow", () => {
    const out = parseMikrotik(
      "/ip firewall filter\nadd action=constructor chain=input src-address=52.1.37.96\nadd action=toString chain=input src-address=52.1.37.96\n",
    );
    assert.deepEqual(out.entries, []);
    assert.deepEqual(pathRows(out).findings, []);
  });
});

/**
 * An admin's import script (run with `/import file=freshworks.rsc`). Forms from the RouterOS manual, "Scripting"
 * (https://help.mikrotik.com/docs/display/ROS/Scripting: `:do { } on-error={ }`, `:if ( ) do={ } else={ }`, `:local`,
 * `[find …]`, `[:pick … 0]`, `;` separators, `\` continuations, `#` comment lines) and "Filter" (`place-before`, the
 * v7 `/ip/firewall/filter` path). The allow rule is added only when absent and put first in chain forward.
 */
const SCRIPT = `# Freshworks webhooks, v2
/ip firewall address-list
:do { add list=freshworks address=52.1.37.96 comment="Freshworks US" } on-error={}
:do {
  add list=freshworks address=3.74.148.8/30 \\
      comment="Freshworks EU { not a block }; # not a comment"
} on-error={ :log warning "freshworks EU already present" }
/ip/firewall/filter
add chain=forward action=drop src-address=3.74.148.9 comment="abuse"
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" }
}
add chain=forward action=drop src-address=52.1.37.96 comment="late block"; add chain=forward action=accept protocol=tcp dst-port=8443 src-address=3.74.148.9 place-before=[find comment="abuse"]
:foreach r in=[find disabled=yes] do={ remove $r }
:if ($mode = "strict") do={ add chain=forward action=drop protocol=tcp dst-port=443 }
`;

describe("MikroTik scripts (guards, :do/on-error, :if, :local, place-before)", () => {
  test("the script reads as what it leaves on the router, on its own lines", () => {
    const out = parseMikrotik(SCRIPT);
    const rows = pathRows(out);
    assert.deepEqual(rows.entries, [
      [3, "52.1.37.96", "address", "allow", "in", "tcp", "443", "freshworks", 12, "52.1.37.96", "freshworks-in", 1, ""],
      [
        5,
        "3.74.148.8/30",
        "cidr",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        12,
        "3.74.148.8/30",
        "freshworks-in",
        1,
        "",
      ],
      [14, "3.74.148.9", "address", "allow", "in", "tcp", "8443", "", 0, "3.74.148.9", "", 1, ""],
      [9, "3.74.148.9", "address", "deny", "in", "", "", "", 0, "3.74.148.9", "abuse", 1, ""],
      [14, "52.1.37.96", "address", "deny", "in", "", "", "", 0, "52.1.37.96", "late block", 1, ""],
      [16, "0.0.0.0/0", "any", "deny", "in", "tcp", "443", "", 0, "any", "", 1, ""],
    ]);
    assert.deepEqual(rows.findings, [
      [15, "not-understood", ":foreach is not expanded: the commands it runs are not read."],
      [16, "note", 'The condition ($mode = "strict") is not evaluated: read as true.'],
    ]);
    assert.equal(out.entries[1]?.comment, "freshworks-in");
    // place-before put the accept above the abuse drop, and the 8443 rule between them.
    assert.equal(verdict(out, "3.74.148.9"), "3.74.148.9 → TCP 443: allowed by line 5.");
    assert.equal(verdict(out, "3.74.148.9", 8443), "3.74.148.9 → TCP 8443: allowed by line 14.");
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assert.equal(verdict(out, "52.1.37.97"), `52.1.37.97 → TCP 443: blocked by line 16 in ${FWD}.`);
    assertWins(SCRIPT, "mikrotik");
  });

  test("if/else branches that add different rules: the do branch is read, and a note says the else branch is not", () => {
    const out = parseMikrotik(
      '/ip firewall filter\n:if ([:len [/interface find name="ether9"]] > 0) do={ add chain=input action=accept src-address=192.0.2.1 } else={ add chain=input action=drop }\n',
    );
    assert.deepEqual(
      pathRows(out).entries.map((r) => [r[0], r[1], r[3]]),
      [[2, "192.0.2.1", "allow"]],
    );
    assert.deepEqual(pathRows(out).findings, [
      [
        2,
        "note",
        'The condition ([:len [/interface find name="ether9"]] > 0) is not evaluated: read as true (the else branch is not read).',
      ],
    ]);
  });

  test("place-before=0 puts the rule first; an unknown place-before is read in order with a note", () => {
    const out = parseMikrotik(
      "/ip firewall filter\nadd chain=input action=drop\nadd chain=input action=accept src-address=192.0.2.1 place-before=0\nadd chain=input action=accept src-address=192.0.2.2 place-before=$where\n",
    );
    assert.deepEqual(
      pathRows(out).entries.map((r) => [r[0], r[1], r[3]]),
      [
        [3, "192.0.2.1", "allow"],
        [2, "0.0.0.0/0", "deny"],
        [4, "192.0.2.2", "allow"],
      ],
    );
    assert.deepEqual(pathRows(out).findings, [
      [4, "note", "place-before=$where is not evaluated: the rule is read in script order."],
    ]);
  });

  test("broken scripts are findings, never exceptions; 40k guarded adds are all read (their time: npm run bench:linear)", () => {
    const broken = [
      "}",
      ":do {",
      ':do { add list=x address=192.0.2.1 comment="open',
      "{".repeat(5000) + "add",
      "/ip firewall filter\n:if (",
      "[".repeat(3000),
      ":do { } while=( $i < 3 )",
    ];
    for (const text of broken) assert.doesNotThrow(() => parseMikrotik(text), text.slice(0, 40));
    assert.deepEqual(pathRows(parseMikrotik("}")).findings, [
      [1, "not-understood", "A closing } without an opening {."],
    ]);
    assert.equal(
      pathRows(parseMikrotik("{".repeat(5000))).findings[0]?.[2],
      "Blocks nested deeper than 64 are not read.",
    );
    const big = `/ip firewall address-list\n${Array.from({ length: 40000 }, (_, i) => `:do { add list=big address=10.${(i >> 8) & 255}.${i & 255}.1 } on-error={}`).join("\n")}\n/ip firewall filter\nadd chain=input action=accept src-address-list=big\n`;
    const out = parseMikrotik(big);
    assert.equal(out.entries.length, 40000);
  });

  // https://help.mikrotik.com/docs/display/ROS/Filter: dst-address, dst-address-type and protocol (with "!" negation)
  // are conditions of the rule. The defconf "accept to local loopback (for CAPsMAN)" rule (dst-address=127.0.0.1)
  // never matches a webhook to the router's public address; protocol=!udp matches TCP.
  test("dst-address=127.0.0.1, dst-address-type and protocol=!udp are conditions, not accept-everything", () => {
    const text = `/ip firewall address-list
add address=52.1.37.96 list=freshworks
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=accept chain=input dst-address-type=!local
add action=accept chain=input src-address-type=local
add action=accept chain=input dst-port=443 protocol=tcp src-address-list=freshworks
add action=accept chain=input dst-port=443 protocol=!udp src-address=44.206.73.232
add action=accept chain=input dst-port=443 protocol=!tcp src-address=3.74.148.9
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
`;
    const out = parseMikrotik(text);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2.");
    assert.equal(verdict(out, "44.206.73.232"), "44.206.73.232 → TCP 443: allowed by line 10.");
    assert.equal(verdict(out, "3.74.148.9"), "3.74.148.9 → TCP 443: blocked by line 12 in filter chain input.");
    assert.equal(verdict(out, "3.74.148.8"), "3.74.148.8 → TCP 443: blocked by line 12 in filter chain input.");
  });

  // https://help.mikrotik.com/docs/display/ROS/Filter: "time" (and limit, nth, random …) make a rule match only
  // sometimes: an accept under them does not cover the webhook at all times.
  test("an accept with time= is not counted as coverage", () => {
    const out = parseMikrotik(
      "/ip firewall filter\nadd action=accept chain=input dst-port=443 protocol=tcp src-address=52.1.37.96 time=8h-17h,mon,tue,wed,thu,fri\nadd action=accept chain=input dst-port=443 protocol=tcp src-address=52.1.32.88\nadd action=drop chain=input in-interface-list=WAN\n",
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 4 in filter chain input.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 3.");
  });

  // RouterOS defconf's "accept out ipsec policy" (ipsec-policy=out,ipsec) in forward: the policy matcher's "out" is
  // "the policy that will be used for encapsulation" (libxt_policy.man), so only traffic sent into an IPsec tunnel
  // meets it; a webhook to the LAN is not. It read as "accept everything" (every address covered); ",none" is met.
  test("ipsec-policy=out,ipsec and in,ipsec are never met by a plain connection; out,none is", () => {
    const rules = (policy: string) =>
      `/ip firewall filter\nadd action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=${policy}\nadd action=accept chain=forward dst-port=443 protocol=tcp src-address=52.1.37.96\nadd action=drop chain=forward\n`;
    for (const policy of ["out,ipsec", "in,ipsec"]) {
      const out = parseMikrotik(rules(policy));
      assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 4 in filter chain forward.");
      assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    }
    assert.equal(verdict(parseMikrotik(rules("out,none")), "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 2.");
  });

  // https://help.mikrotik.com/docs/display/ROS/NAT#NAT-DestinationNAT: a service behind the router is reached only
  // through a dst-nat rule; one restricted by src-address-list forwards only those sources (the others hit the
  // router itself, where no service listens on the port).
  test("a dst-nat port forward restricted to an address list decides who reaches the service behind the router", () => {
    const out = parseMikrotik(`/ip firewall address-list
add address=52.1.37.96 list=freshworks
add address=52.1.32.88 list=freshworks
/ip firewall filter
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 in-interface-list=WAN protocol=tcp src-address-list=freshworks to-addresses=192.168.88.10 to-ports=443
add action=dst-nat chain=dstnat dst-port=8080 protocol=tcp to-addresses=192.168.88.11
`);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        // In the order a packet crosses them: dst-nat in prerouting, then the filter (input or forward).
        ["nat chain dstnat (port forwards)", true],
        ["filter chain input", false],
        ["filter chain forward", true],
      ],
    );
    assert.match(verdict(out, "52.1.37.96"), /allowed/);
    assert.equal(
      verdict(out, "18.208.240.77"),
      "18.208.240.77 → TCP 443: blocked — no rule of nat chain dstnat (port forwards) (line 10) matches, and its default is deny.",
    );
  });
});

describe("mikrotik: hostile address lists", () => {
  test("rules take at most a million address-list members in all; the rule past it is reported and not read", () => {
    // A 1,000-address list named by 1,001 rules: 1,000 rules fit. 3,000 × 3,000 made 9 million entries.
    const list = Array.from({ length: 1000 }, (_, i) => `add list=BIG address=10.0.${i >> 8}.${i & 255}`).join("\n");
    const rules = Array.from(
      { length: 1001 },
      () => "add chain=input src-address-list=BIG protocol=tcp dst-port=443 action=accept",
    );
    const out = parseMikrotik(`/ip firewall address-list\n${list}\n/ip firewall filter\n${rules.join("\n")}\n`);
    assert.equal(out.entries.length, 1000 * 1000);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1003 + 1000,
          "not-understood",
          'Address list "BIG" is not expanded here: the rules above already took 1,000,000 list members, the most this reader follows. The rule is not read.',
        ],
      ],
    );
  });
});

/**
 * /ip firewall raw chain=prerouting sees every packet entering the router, before connection tracking and the filter
 * (RouterOS "Raw": "prerouting - used to process any packet entering the router"; https://help.mikrotik.com/docs/x/bYDmAg).
 * A raw drop was reported as not read and the filter's accept decided: allowed, where the router drops.
 */
describe("mikrotik: /ip firewall raw prerouting", () => {
  const RSC = `# 2026-12-01 23:10:04 by RouterOS 7.16.1
/ip firewall address-list
add address=13.232.152.0/24 list=freshworks
add address=13.232.152.1 list=blocked timeout=1d
add address=13.232.152.2 list=ok
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=accept chain=input dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall raw
add action=accept chain=prerouting src-address-list=ok
add action=drop chain=prerouting src-address-list=blocked
add action=drop chain=prerouting src-address-list=ok
add action=drop chain=output dst-address=13.232.152.3
`;
  test("a raw drop blocks before the filter; a raw accept ends the raw rules; chain output is not on the way in", () => {
    const out = parseMikrotik(RSC, { path: "input" });
    assert.equal(verdict(out, "13.232.152.1"), "13.232.152.1 → TCP 443: blocked by line 4 in raw chain prerouting.");
    assert.equal(verdict(out, "13.232.152.2"), "13.232.152.2 → TCP 443: allowed by line 5, then line 3.");
    assert.equal(
      verdict(out, "13.232.152.3"),
      "13.232.152.3 → TCP 443: allowed by the default of raw chain prerouting, then line 3.",
    );
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "not-understood"),
      [],
    );
  });
});

// RouterOS manual, "Firewall" (https://help.mikrotik.com/docs/spaces/ROS/pages/250708066/Firewall) and "Common
// Firewall Matchers and Actions" (https://help.mikrotik.com/docs/display/ROS/Common+Firewall+Matchers+and+Actions):
// "jump - jump to the user-defined chain specified by the value of jump-target"; "return - passes control back to the
// chain from where the jump took place"; log and passthrough go on to the next rule; what a jumped-to chain does not
// decide goes on after the jump. accept/drop/reject/tarpit decide ("Filter", https://help.mikrotik.com/docs/display/ROS/Filter).
describe("mikrotik: jump and return", () => {
  const EXPORT_JUMPS = `# 2026-12-02 10:00:00 by RouterOS 7.16.1
# software id = 8K2N-Q7ZT
#
# model = RB5009UG+S+
/interface bridge
add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip firewall address-list
add address=52.1.37.96 comment="Freshworks US" list=freshworks
add address=3.74.148.8/30 comment="Freshworks EU" list=freshworks
add address=52.1.32.88 list=freshworks
add address=52.1.32.88 comment=abuse list=blocked
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=jump chain=input comment="from the Internet" in-interface-list=WAN \\
    jump-target=wan-in
add action=accept chain=input comment="from the LAN" in-interface-list=LAN
add action=drop chain=input comment="drop all else"
add action=drop chain=wan-in src-address-list=blocked
add action=return chain=wan-in comment="EU test host: router policy" src-address=3.74.148.10
add action=log chain=wan-in log-prefix=wan-in
add action=passthrough chain=wan-in
add action=drop chain=wan-in dst-port=443 protocol=tcp src-address-list=!freshworks
add action=accept chain=wan-in comment="Freshworks webhooks" dst-port=443 \\
    protocol=tcp src-address-list=freshworks
add action=jump chain=wan-in jump-target=audit
add action=jump chain=audit jump-target=audit-2
add action=jump chain=audit-2 jump-target=audit
add action=jump chain=input disabled=yes jump-target=old-rules
add action=accept chain=old-rules src-address=44.206.73.232
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`;

  test("input jumps to a custom chain: its drops and accepts decide, a return and an undecided end go on after the jump", () => {
    const out = parseMikrotik(EXPORT_JUMPS);
    assert.equal(out.path?.kind, "input");
    const rows = pathRows(out);
    assert.deepEqual(rows.entries, [
      [
        21,
        "0.0.0.0/0",
        "any",
        "allow",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: accept established,related,untracked",
        0,
        "only connection-state=established,related,untracked",
      ],
      [
        22,
        "0.0.0.0/0",
        "any",
        "deny",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "defconf: drop invalid",
        0,
        "only connection-state=invalid",
      ],
      // The jump's chain, read in place: the drop of the blocked list (its entry on the list's line, the rule's line 27).
      [19, "52.1.32.88", "address", "deny", "in", "", "", "blocked", 27, "52.1.32.88", "", 0, ""],
      // src-address-list=!freshworks: every address outside the list, less 3.74.148.10, which the return took back.
      [31, "0.0.0.0-3.74.148.7", "range", "deny", "in", "tcp", "443", "", 0, "!freshworks", "", 0, ""],
      [31, "3.74.148.12-52.1.32.87", "range", "deny", "in", "tcp", "443", "", 0, "!freshworks", "", 0, ""],
      [31, "52.1.32.89-52.1.37.95", "range", "deny", "in", "tcp", "443", "", 0, "!freshworks", "", 0, ""],
      [31, "52.1.37.97-255.255.255.255", "range", "deny", "in", "tcp", "443", "", 0, "!freshworks", "", 0, ""],
      [
        16,
        "52.1.37.96",
        "address",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        32,
        "52.1.37.96",
        "Freshworks webhooks",
        0,
        "",
      ],
      [
        17,
        "3.74.148.8/31",
        "range",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        32,
        "3.74.148.8/30",
        "Freshworks webhooks",
        0,
        "",
      ],
      [
        17,
        "3.74.148.11",
        "range",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        32,
        "3.74.148.8/30",
        "Freshworks webhooks",
        0,
        "",
      ],
      [
        18,
        "52.1.32.88",
        "address",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks",
        32,
        "52.1.32.88",
        "Freshworks webhooks",
        0,
        "",
      ],
      // Back in chain input after the jump.
      [
        25,
        "0.0.0.0/0",
        "any",
        "allow",
        "in",
        "",
        "",
        "",
        0,
        "any",
        "from the LAN",
        0,
        "only when in-interface-list=LAN (not the Internet side)",
      ],
      [26, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "drop all else", 0, ""],
      // A disabled jump: the chain it leads to is never met from here.
      [
        38,
        "44.206.73.232",
        "address",
        "allow",
        "in",
        "",
        "",
        "",
        0,
        "44.206.73.232",
        "",
        0,
        "reached only through the jump at line 37 (the rule is disabled)",
      ],
    ]);
    assert.deepEqual(rows.findings, [
      [
        36,
        "reference-loop",
        'Chain "audit" jumps back to itself through input → wan-in → audit → audit-2 → audit: the jump is not followed.',
      ],
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 16.");
    assert.equal(verdict(out, "3.74.148.9"), "3.74.148.9 → TCP 443: allowed by line 17.");
    // In both lists: the drop comes first in chain wan-in.
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 19 in filter chain input.");
    // Returned to chain input before the accept: the rule after the jump drops it.
    assert.equal(verdict(out, "3.74.148.10"), "3.74.148.10 → TCP 443: blocked by line 26 in filter chain input.");
    // Outside the list: the negated list's drop.
    assert.equal(verdict(out, "44.206.73.232"), "44.206.73.232 → TCP 443: blocked by line 31 in filter chain input.");
    // Another port: nothing in wan-in decides, the end of the chain goes back after the jump.
    assert.equal(verdict(out, "52.1.37.96", 80), "52.1.37.96 → TCP 80: blocked by line 26 in filter chain input.");
  });

  test("forward jumps per interface list: the chain only LAN traffic jumps to is never met; the path is forward", () => {
    const out = parseMikrotik(`/ip firewall address-list
add address=52.1.37.96 list=freshworks
/ip firewall filter
add action=fasttrack-connection chain=forward connection-state=established,related hw-offload=yes
add action=accept chain=forward connection-state=established,related,untracked
add action=jump chain=forward in-interface-list=WAN jump-target=from-wan
add action=jump chain=forward in-interface-list=LAN jump-target=from-lan
add action=drop chain=forward
add action=accept chain=from-wan connection-nat-state=dstnat protocol=tcp src-address-list=freshworks
add action=accept chain=from-lan
add action=drop chain=unused src-address=52.1.37.96
`);
    // Only rules reached from chain forward allow listed sources: read as a service behind the router.
    assert.equal(out.path?.kind, "forward");
    assert.deepEqual(pathRows(out), {
      entries: [
        [
          5,
          "0.0.0.0/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "any",
          "",
          1,
          "only connection-state=established,related,untracked",
        ],
        [2, "52.1.37.96", "address", "allow", "in", "tcp", "", "freshworks", 9, "52.1.37.96", "", 1, ""],
        [
          10,
          "0.0.0.0/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "any",
          "",
          1,
          "reached only through the jump at line 7 (only when in-interface-list=LAN (not the Internet side))",
        ],
        [8, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "", 1, ""],
      ],
      findings: [
        [
          11,
          "note",
          'Chain "unused" is not reached from chain input or forward (no jump from them leads to it): not read.',
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 8 in filter chain forward.");
  });

  test("a jump's conditions are ANDed into its chain's rules; a time= return is not taken as a return", () => {
    const out = parseMikrotik(`/ip firewall filter
add action=jump chain=input dst-port=443 protocol=tcp src-address=52.1.32.0/24 jump-target=web
add action=drop chain=input
add action=return chain=web src-address=52.1.32.88 time=0s-1h,mon
add action=accept chain=web
add action=jump chain=web jump-target=nowhere
`);
    assert.deepEqual(pathRows(out), {
      entries: [
        [2, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 5, "52.1.32.0/24", "", 0, ""],
        [3, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "", 0, ""],
      ],
      findings: [
        [4, "note", "This return depends on only when time=0s-1h,mon: read as if it did not return."],
        [6, "undefined-reference", 'Chain "nowhere" has no rules in this paste (for IPv4): the jump returns at once.'],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 2.");
    assert.equal(verdict(out, "52.1.32.88", 22), "52.1.32.88 → TCP 22: blocked by line 3 in filter chain input.");
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 3 in filter chain input.");
  });

  test("a chain jumped to from input and forward is read at each jump; its problems are reported once", () => {
    const out = parseMikrotik(`/ip firewall filter
add action=jump chain=input jump-target=shared
add action=jump chain=forward jump-target=shared
add action=accept chain=shared src-address-list=nolist
add action=accept chain=shared dst-port=!443
add action=drop chain=shared src-address=52.1.37.96
`);
    assert.deepEqual(pathRows(out), {
      entries: [
        [6, "52.1.37.96", "address", "deny", "in", "", "", "", 0, "52.1.37.96", "", 0, ""],
        [6, "52.1.37.96", "address", "deny", "in", "", "", "", 0, "52.1.37.96", "", 1, ""],
      ],
      findings: [
        [4, "undefined-reference", 'Address list "nolist" is not defined in this paste (for IPv4).'],
        [5, "negation", "dst-port=!443 (every port but these) is not read exactly: the rule is not read."],
      ],
      notes: [],
    });
  });

  // A jumped-to chain of packet sanity drops, as RouterOS's "Building Advanced Firewall"
  // (https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall, chain bad_tcp): tcp-flags=LIST needs every
  // flag listed set and every !flag clear (read so because these drops would otherwise drop every SYN); port=LIST matches
  // the source or the destination port ("Filter", https://help.mikrotik.com/docs/display/ROS/Filter).
  test("a jump to a TCP sanity chain: tcp-flags and port=0 drops never meet a SYN to 443; port=443 is the service port", () => {
    const out = parseMikrotik(`/ip firewall address-list
add address=52.1.37.96 list=freshworks
add address=52.1.32.88 list=freshworks
add address=3.74.148.8 list=freshworks
/ip firewall filter
add action=jump chain=input jump-target=bad_tcp protocol=tcp
add action=accept chain=input dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=input
add action=drop chain=bad_tcp comment="defconf: TCP flag filter" protocol=tcp tcp-flags=!fin,!syn,!rst,!ack
add action=drop chain=bad_tcp comment=defconf protocol=tcp tcp-flags=fin,syn
add action=drop chain=bad_tcp comment=defconf protocol=tcp tcp-flags=fin,!ack
add action=drop chain=bad_tcp comment=defconf protocol=tcp tcp-flags=syn,rst
add action=drop chain=bad_tcp comment="defconf: TCP port 0 drop" port=0 protocol=tcp
add action=drop chain=bad_tcp protocol=tcp src-address=52.1.32.88 tcp-flags=syn
add action=drop chain=bad_tcp port=50000-60999 protocol=tcp src-address=3.74.148.8
add action=accept chain=bad_tcp port=443 protocol=tcp src-address=18.208.240.77
`);
    const flags = (f: string) => `only tcp-flags=${f} (a new connection's first packet has SYN alone)`;
    assert.deepEqual(pathRows(out), {
      entries: [
        [
          9,
          "0.0.0.0/0",
          "any",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "any",
          "defconf: TCP flag filter",
          0,
          flags("!fin,!syn,!rst,!ack"),
        ],
        [10, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", "defconf", 0, flags("fin,syn")],
        [11, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", "defconf", 0, flags("fin,!ack")],
        [12, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", "defconf", 0, flags("syn,rst")],
        [
          13,
          "0.0.0.0/0",
          "any",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "any",
          "defconf: TCP port 0 drop",
          0,
          "only port=0 (neither the service's port nor a new connection's ephemeral source port)",
        ],
        [14, "52.1.32.88", "address", "deny", "in", "tcp", "", "", 0, "52.1.32.88", "", 0, ""],
        // Ephemeral source ports may be in the list: a drop is read as matching.
        [15, "3.74.148.8", "address", "deny", "in", "tcp", "", "", 0, "3.74.148.8", "", 0, ""],
        [16, "18.208.240.77", "address", "allow", "in", "tcp", "443", "", 0, "18.208.240.77", "", 0, ""],
        [2, "52.1.37.96", "address", "allow", "in", "tcp", "443", "freshworks", 7, "52.1.37.96", "", 0, ""],
        [3, "52.1.32.88", "address", "allow", "in", "tcp", "443", "freshworks", 7, "52.1.32.88", "", 0, ""],
        [4, "3.74.148.8", "address", "allow", "in", "tcp", "443", "freshworks", 7, "3.74.148.8", "", 0, ""],
        [8, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "", 0, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 14 in filter chain input.");
    assert.equal(verdict(out, "3.74.148.8"), "3.74.148.8 → TCP 443: blocked by line 15 in filter chain input.");
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 16.");
    assert.equal(verdict(out, "18.208.240.77", 22), "18.208.240.77 → TCP 22: blocked by line 8 in filter chain input.");
  });

  test("jump fan-outs and 20,000 nested chains are cut off with a finding, not expanded or overflowed", () => {
    let fan =
      "/ip firewall filter\nadd action=jump chain=input jump-target=c0\nadd action=jump chain=input jump-target=c0\n";
    for (let i = 0; i < 40; i++)
      fan += `add action=jump chain=c${i} jump-target=c${i + 1}\nadd action=jump chain=c${i} jump-target=c${i + 1}\n`;
    fan += "add action=accept chain=c40 src-address=52.1.37.96\n";
    assert.deepEqual(
      parseMikrotik(fan).findings.map((f) => [f.line, f.kind, f.message]),
      [[83, "note", "Too many nested jumps: the rest of the rules are not read."]],
    );
    let deep = "/ip firewall filter\nadd action=jump chain=input jump-target=c0\n";
    for (let i = 0; i < 20000; i++) deep += `add action=jump chain=c${i} jump-target=c${i + 1}\n`;
    assert.deepEqual(
      parseMikrotik(deep).findings.map((f) => [f.line, f.kind, f.message]),
      [[66, "not-understood", 'Jumps nested more than 64 deep: chain "c64" is not read from here.']],
    );
  });

  // The raw part of RouterOS's "Building Advanced Firewall" (https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall):
  // prerouting jumps to chain bad_tcp for every TCP packet ("jump", "Firewall" manual,
  // https://help.mikrotik.com/docs/spaces/ROS/pages/250708066/Firewall).
  test("raw prerouting jumps to a raw chain: its rules are read in place; a raw chain no jump reaches is noted", () => {
    const out = parseMikrotik(`# 2026-12-02 11:58:10 by RouterOS 7.16.1
/ip firewall address-list
add address=127.0.0.0/8 comment="defconf: RFC6890" list=bad_ipv4
add address=52.1.37.96 list=freshworks
add address=52.1.32.88 list=freshworks
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=accept chain=input dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall raw
add action=accept chain=prerouting comment="defconf: enable for transparent firewall" disabled=yes
add action=drop chain=prerouting comment="defconf: drop bogon IP's" src-address-list=bad_ipv4
add action=jump chain=prerouting comment="defconf: jump to TCP chain" jump-target=bad_tcp protocol=tcp
add action=accept chain=prerouting comment="defconf: accept everything else from WAN" in-interface-list=WAN
add action=drop chain=prerouting comment="defconf: drop the rest"
add action=drop chain=bad_tcp comment="defconf: TCP flag filter" protocol=tcp tcp-flags=!fin,!syn,!rst,!ack
add action=drop chain=bad_tcp comment=defconf protocol=tcp tcp-flags=fin,syn
add action=drop chain=bad_tcp comment="defconf: TCP port 0 drop" port=0 protocol=tcp
add action=drop chain=bad_tcp protocol=tcp src-address=52.1.32.88
add action=drop chain=unused src-address=3.74.148.8
add action=drop chain=output dst-address=3.74.148.9
`);
    const flags = (f: string) => `only tcp-flags=${f} (a new connection's first packet has SYN alone)`;
    assert.deepEqual(
      pathRows(out).entries.filter((e) => e[11] === 0),
      [
        [
          11,
          "0.0.0.0/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "any",
          "defconf: enable for transparent firewall",
          0,
          "the rule is disabled",
        ],
        [
          3,
          "127.0.0.0/8",
          "cidr",
          "deny",
          "in",
          "",
          "",
          "bad_ipv4",
          12,
          "127.0.0.0/8",
          "defconf: drop bogon IP's",
          0,
          "",
        ],
        [
          16,
          "0.0.0.0/0",
          "any",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "any",
          "defconf: TCP flag filter",
          0,
          flags("!fin,!syn,!rst,!ack"),
        ],
        [17, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", "defconf", 0, flags("fin,syn")],
        [
          18,
          "0.0.0.0/0",
          "any",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "any",
          "defconf: TCP port 0 drop",
          0,
          "only port=0 (neither the service's port nor a new connection's ephemeral source port)",
        ],
        [19, "52.1.32.88", "address", "deny", "in", "tcp", "", "", 0, "52.1.32.88", "", 0, ""],
        [
          14,
          "0.0.0.0/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "any",
          "defconf: accept everything else from WAN",
          0,
          "",
        ],
        [15, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", "defconf: drop the rest", 0, ""],
      ],
    );
    assert.deepEqual(pathRows(out).findings, [
      [20, "note", 'Raw chain "unused" is not reached from chain prerouting (no jump from it leads to it): not read.'],
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 14, then line 4.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 19 in raw chain prerouting.");
  });
});

/**
 * set, remove, enable and disable with [find …] (RouterOS manual, "Scripting",
 * https://help.mikrotik.com/docs/display/ROS/Scripting: find returns the items whose properties match; "Address-lists",
 * https://help.mikrotik.com/docs/display/ROS/Address-lists). They were dropped without a word: the update idiom
 * `remove [find list=X]` then the new adds kept counting the removed addresses as allowed.
 */
describe("mikrotik: set, remove, enable, disable [find …]", () => {
  const FILTER = `/ip firewall filter
add action=accept chain=input comment="hooks" dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=input comment="drop rest"`;

  test("the update idiom: remove [find list=X] takes the old entries, the adds after it stay", () => {
    const out = parseMikrotik(`/ip firewall address-list
add list=freshworks address=18.208.240.77
add list=freshworks address=52.1.32.88
add list=other address=52.1.37.96
remove [find list=freshworks]
add list=freshworks address=44.206.73.232/29
${FILTER}
`);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [
        [6, "44.206.73.232/29", "allow"],
        [9, "any", "deny"],
      ],
    );
    assert.deepEqual(out.findings, []);
    assert.match(verdict(out, "18.208.240.77"), /blocked by line 9/);
    assert.equal(verdict(out, "44.206.73.233"), "44.206.73.233 → TCP 443: allowed by line 6.");
    // The same through a variable: `:local old [find …]`, then `remove $old`.
    const byVariable = parseMikrotik(`/ip firewall address-list
add list=freshworks address=18.208.240.77
:local old [find list=freshworks]
remove $old
add list=freshworks address=52.1.37.96
${FILTER}
`);
    assert.deepEqual(
      byVariable.entries.map((e) => [e.line, e.token]),
      [
        [5, "52.1.37.96"],
        [8, "any"],
      ],
    );
    assert.deepEqual(byVariable.findings, []);
  });

  test("find where … and …, addresses compared as the addresses they stand for, set and disable/enable", () => {
    const out = parseMikrotik(`/ip firewall address-list
add list=freshworks address=18.208.240.77
add list=freshworks address=52.1.32.88/32
add list=freshworks address=3.74.148.8/30 comment=eu
add list=freshworks address=52.1.37.96
remove [find where list="freshworks" and address=52.1.32.88]
set [find address=3.74.148.8/30] address=3.74.148.12/30
disable [find address=18.208.240.77/32]
disable [find address=52.1.37.96]
enable [find address=52.1.37.96 disabled]
${FILTER}
/ip firewall filter
disable [find comment="drop rest"]
`);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action, e.unmet ?? ""]),
      [
        [4, "3.74.148.12/30", "allow", ""],
        [5, "52.1.37.96", "allow", ""],
        [13, "any", "deny", "the rule is disabled"],
      ],
    );
    assert.deepEqual(out.findings, []);
    // The drop rule is disabled: the input chain accepts what no rule decides.
    assert.match(verdict(out, "52.1.32.88"), /allowed by the default/);
  });

  test("what is not evaluated changes nothing and says so; a set RouterOS refuses changes nothing", () => {
    const out = parseMikrotik(`/ip firewall address-list
add list=freshworks address=18.208.240.77
remove 0
remove numbers=0,1
remove $gone
remove [find comment~"old"]
remove
set [find list=freshworks] address=10.1
remove [find list=nothing]
${FILTER}
set [find comment=hooks] chain=forward
`);
    assert.deepEqual(out.entries.map((e) => [e.line, e.token]).slice(0, 1), [[2, "18.208.240.77"]]);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          3,
          "not-understood",
          "remove: item numbers (0) refer to the order of a print this paste does not show: nothing is changed.",
        ],
        [
          4,
          "not-understood",
          "remove: item numbers (0,1) refer to the order of a print this paste does not show: nothing is changed.",
        ],
        [5, "not-understood", "remove: $gone is not set to a [find …] in this paste: nothing is changed."],
        [
          6,
          "not-understood",
          'remove: "comment~old" is not evaluated here (only key=value, key!=value and yes/no properties are): nothing is changed.',
        ],
        [7, "not-understood", "remove names no address-list entry ([find …]): nothing is changed."],
        [
          8,
          "ambiguous",
          '"10.1" is not an address, prefix or range: expected 4 octets, found 2 (shorthand like "10.1" is not allowed). RouterOS refuses the set: nothing is changed.',
        ],
        [9, "note", "No address-list entry made above matches [find list=nothing]: nothing is changed."],
        [13, "not-understood", "set chain= is not read: the rules keep their chain and place."],
      ],
    );
  });

  test("removing the first rule of a chain: place-before=[find chain=…] and top go before the next one", () => {
    const out = parseMikrotik(`/ip firewall filter
add action=drop chain=input src-address=52.1.37.96 comment=first
add action=drop chain=forward comment=other
add action=drop chain=input src-address=52.1.32.88 comment=second
remove [find comment=first]
add action=accept chain=input src-address=52.1.32.88 place-before=[find chain=input]
add action=drop chain=input src-address=52.1.32.88 comment=first
`);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [
        // Chain forward's rule (not on the path).
        [3, "any", "deny"],
        [6, "52.1.32.88", "allow"],
        [4, "52.1.32.88", "deny"],
        [7, "52.1.32.88", "deny"],
      ],
    );
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 6.");
    assert.match(verdict(out, "52.1.37.96"), /allowed by the default/);
  });

  test("[find …] comparisons stop at FIND_LIMIT: each command past it is refused with a finding", () => {
    // Selectors without an address or a list compare every entry: 2,300 of them, 2,300 times.
    const n = 2300;
    const text = [
      "/ip firewall address-list",
      ...Array.from({ length: n }, (_, i) => `add list=l address=10.0.${i >> 8}.${i & 255} comment=c${i}`),
      ...Array.from({ length: n }, () => "remove [find comment=nothing]"),
    ].join("\n");
    const out = parseMikrotik(text);
    const applied = Math.floor(FIND_LIMIT / n);
    assert.equal(applied, 2173);
    const refused = out.findings.filter((f) => f.kind === "invalid");
    assert.deepEqual(
      [refused.length, refused[0]?.line, out.findings.length - refused.length],
      [n - applied, n + applied + 2, applied],
    );
    assert.equal(
      refused[0]!.message,
      "Not applied: the [find …] selectors above already compared 5,000,000 items, the limit one paste may take; the items this command would change are read as they stand.",
    );
  });
});
