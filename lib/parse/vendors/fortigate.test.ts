import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fortigateParser } from "./fortigate";
import { detection, project } from "./network.testkit";
import { parseWith, pathRows, statuses } from "./path.testkit";

const CONFIG_1 = `#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin
config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.0
    next
end
config firewall address
    edit "all"
        set uuid 1b2e3f4a-0000-0000-0000-000000000001
    next
    edit "FW-US-1"
        set comment "Freshworks US"
        set subnet 18.208.240.0 255.255.255.0
    next
    edit "FW-R"
        set type iprange
        set start-ip 52.1.1.10
        set end-ip 52.1.1.20
    next
    edit "FW-HOOK"
        set subnet 3.1.2.3/32
    next
    edit "FW-DNS"
        set type fqdn
        set fqdn "hooks.example.com"
    next
    edit "SPARE"
        set subnet 192.0.2.50 255.255.255.255
    next
end
config firewall address6
    edit "FW-V6"
        set ip6 2406:da00:ff00::/48
    next
end
config firewall addrgrp
    edit "FRESHWORKS"
        set member "FW-US-1" "FW-R"
        append member "NOPE"
    next
end
config firewall addrgrp6
    edit "FRESHWORKS6"
        set member "FW-V6"
    next
end
config firewall service custom
    edit "HTTPS-ALT"
        set tcp-portrange 8443 9000-9001:1024-65535
    next
end
config firewall service group
    edit "WEB"
        set member "HTTPS" "HTTPS-ALT"
    next
end
config firewall policy
    edit 3
        set name "block-hook"
        set srcintf "wan1"
        set dstintf "lan"
        set srcaddr "FW-HOOK"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
    next
    edit 1
        set name "freshworks-in"
        set srcintf "wan1"
        set dstintf "lan"
        set action accept
        set srcaddr "FRESHWORKS" "FW-DNS"
        set dstaddr "all"
        set srcaddr6 "FRESHWORKS6"
        set dstaddr6 "all"
        set schedule "always"
        set service "WEB"
    next
    edit 2
        set srcaddr "all"
        set action accept
        set status disable
        set service "HTTPS"
    next
    edit 4
        set srcaddr "FW-US-1"
        set srcaddr-negate enable
        set action accept
        set service "HTTPS"
    next
end
`;

const CONFIG_2 = `config vdom
edit root
config firewall address
    edit "FW-IN-1"
        set subnet 13.232.152.0/25
    next
    edit "GEO"
        set type geography
        set country "US"
    next
end
config firewall address6
    edit "FW-V6"
        set ip6 2406:da00:ff00::/48
    next
end
config firewall policy
    edit 10
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "FW-IN-1" "GEO"
        set dstaddr "all"
        set action accept
        set service "ALL"
    next
    edit 11
        set srcaddr "all"
        set dstaddr "all"
        set service "HTTPS" "DNS"
    next
end
config firewall policy6
    edit 1
        set srcaddr "FW-V6"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
    next
end
config firewall local-in-policy
    edit 1
        set intf "port1"
        set srcaddr "FW-IN-1"
        set dstaddr "all"
        set action accept
        set service "SSH"
        set schedule "always"
    next
end
next
end
config firewall address
    edit "TAGGED"
        config tagging
            edit "t1"
                set category "region"
                set tags "us"
            next
        end
        set subnet 18.208.241.0 255.255.255.0
    next
end
set subnet 1.2.3.4 255.255.255.255
`;

const CONFIG_3 = `config firewall address
    edit "all"
    next
    edit "FW-US-1"
        set subnet 18.208.240.0 255.255.255.0
    next
    edit "FW-R"
        set type iprange
        set start-ip 52.1.1.20
        set end-ip 52.1.1.10
    next
    edit "FW-HOST"
        set subnet 3.1.2.3 255.255.255.255
    next
end
config firewall addrgrp
    edit "FRESHWORKS"
        set member "FW-US-1" "FW-HOST" "FW-MISSING"
    next
end
`;

describe("fortigate parser", () => {
  test("FortiGate: address/address6, addrgrp with append, custom services and groups, policy order, default deny, disabled, srcaddr-negate", () => {
    assert.deepEqual(project(fortigateParser.parse(CONFIG_1)), {
      entries: [
        [21, "3.1.2.3", "deny", "in", "", "", "FW-HOOK", 62],
        [13, "18.208.240.0/24", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-US-1", 72],
        [17, "52.1.1.10-52.1.1.20", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-R", 72],
        [33, "2406:da00:ff00::/48", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS6>FW-V6", 74],
        [8, "0.0.0.0/0", "allow", "in", "tcp", "443", "all", 80],
        [86, "0.0.0.0-18.208.239.255", "allow", "in", "tcp", "443", "", 0],
        [86, "18.208.241.0-255.255.255.255", "allow", "in", "tcp", "443", "", 0],
      ],
      findings: [
        [20, "unused-object", 'Address "FW-HOOK" is defined but no allow rule uses it.'],
        [25, "hostname", '"hooks.example.com" is a DNS name: it cannot be checked.'],
        [27, "unused-object", 'Address "SPARE" is defined but no allow rule uses it.'],
        [38, "undefined-reference", '"NOPE" is not defined in this paste.'],
        [87, "negation", 'Policy "4" matches every source except the listed ones: read as all other addresses.'],
      ],
      notes: [],
    });
  });

  test("FortiGate vdom: built-in all, policy6, local-in-policy, geography address, predefined services, nested tagging block, stray line", () => {
    assert.deepEqual(project(fortigateParser.parse(CONFIG_2)), {
      entries: [
        [5, "13.232.152.0/25", "allow", "in", "", "", "FW-IN-1", 21],
        [27, "0.0.0.0/0", "deny", "in", "tcp", "443,53", "all", 0],
        [27, "0.0.0.0/0", "deny", "in", "udp", "53", "all", 0],
        [14, "2406:da00:ff00::/48", "allow", "in", "tcp", "443", "FW-V6", 34],
        [5, "13.232.152.0/25", "allow", "in", "tcp", "22", "FW-IN-1", 43],
      ],
      findings: [
        [8, "not-understood", 'Address type "geography" is not read.'],
        [53, "unused-object", 'Address "TAGGED" is defined but no allow rule uses it.'],
        [63, "not-understood", 'This line is outside any "config" section.'],
      ],
      notes: [],
    });
  });

  test("FortiGate objects-only paste is read as the allowlist; the default all object is not listed", () => {
    assert.deepEqual(project(fortigateParser.parse(CONFIG_3)), {
      entries: [
        [5, "18.208.240.0/24", "allow", "in", "", "", "FW-US-1", 0],
        [13, "3.1.2.3", "allow", "in", "", "", "FW-HOST", 0],
      ],
      findings: [
        [9, "invalid", "Range: range start is after its end."],
        [18, "undefined-reference", '"FW-MISSING" is not defined in this paste.'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("each sample is detected as fortigate", () => {
    for (const c of [CONFIG_1, CONFIG_2, CONFIG_3]) {
      const d = detection(c, "fortigate");
      assert.deepEqual([d.own >= 0.5, d.own > d.plain], [true, true], "fortigate does not win detection");
      assert.deepEqual(d.claims, []);
    }
  });
});

describe("FortiGate: a later block changes an object (FortiOS CLI: edit enters an existing entry)", () => {
  // https://docs.fortinet.com/document/fortigate/7.4.0/cli-reference/ — "edit <name>" opens an existing entry;
  // "append" adds to a list, "unselect" takes values out of it, "delete <name>" removes the entry.
  const config = (extra: string) => `config firewall address
    edit "A"
        set subnet 52.1.37.96 255.255.255.255
    next
    edit "B"
        set subnet 52.1.32.88 255.255.255.255
    next
    edit "C"
        set subnet 3.74.148.8 255.255.255.255
    next
end
config firewall addrgrp
    edit "G"
        set member "A"
    next
end
${extra}
config firewall policy
    edit 1
        set srcintf "any"
        set dstintf "any"
        set srcaddr "G"
        set dstaddr "all"
        set action accept
        set service "ALL"
        set schedule "always"
    next
end
`;
  const allowed = (text: string) =>
    fortigateParser
      .parse(text)
      .entries.filter((e) => e.action === "allow" && e.unmet === undefined)
      .map((e) => e.token)
      .sort();

  test("append member in a second block adds to the group; unselect takes members out; delete removes an entry", () => {
    assert.deepEqual(allowed(config("")), ["52.1.37.96 255.255.255.255"]);
    const appended = `config firewall addrgrp\n    edit "G"\n        append member "B" "C" "A"\n    next\nend`;
    assert.deepEqual(allowed(config(appended)), [
      "3.74.148.8 255.255.255.255",
      "52.1.32.88 255.255.255.255",
      "52.1.37.96 255.255.255.255",
    ]);
    const unselected = `${appended}\nconfig firewall addrgrp\n    edit "G"\n        unselect member "A" "C"\n    next\nend`;
    assert.deepEqual(allowed(config(unselected)), ["52.1.32.88 255.255.255.255"]);
    const deleted = `config firewall addrgrp\n    delete "G"\nend`;
    const out = fortigateParser.parse(config(deleted));
    assert.deepEqual(
      out.entries.filter((e) => e.action === "allow"),
      [],
    );
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "undefined-reference").map((f) => f.message),
      ['"G" is not defined in this paste.'],
    );
  });

  test("append adds the members not there yet, in order; unselect takes every place of a member out", () => {
    // Through the member index: a member unselected and appended again comes last; one already there is not added
    // again; one written twice on an append line is added twice (as FortiOS keeps the list as written).
    const edits = (...lines: string[]) =>
      `config firewall address\n    edit "D"\n        set subnet 198.51.100.7 255.255.255.255\n    next\nend\n` +
      lines.map((l) => `config firewall addrgrp\n    edit "G"\n        ${l}\n    next\nend`).join("\n");
    const members = (extra: string) =>
      fortigateParser
        .parse(config(extra))
        .entries.filter((e) => e.action === "allow")
        .map((e) => e.token);
    const A = "52.1.37.96 255.255.255.255";
    const B = "52.1.32.88 255.255.255.255";
    const C = "3.74.148.8 255.255.255.255";
    const D = "198.51.100.7 255.255.255.255";
    assert.deepEqual(members(edits('set member "A" "B"', 'append member "C" "A" "D" "D"')), [A, B, C, D, D]);
    assert.deepEqual(members(edits('set member "A" "B"', 'append member "C" "A" "D" "D"', 'unselect member "B" "X"')), [
      A,
      C,
      D,
      D,
    ]);
    assert.deepEqual(
      members(
        edits(
          'set member "A" "B"',
          'append member "C" "A" "D" "D"',
          'unselect member "B" "X"',
          'append member "B" "C"',
          'unselect member "D"',
          'append member "D"',
        ),
      ),
      [A, C, B, D],
    );
    assert.deepEqual(members(edits('set member "A" "B"', 'unselect member "A"', 'set member "C" "A"')), [C, A]);
  });
});

// FortiOS CLI Reference, config firewall policy (service-negate, dstaddr-negate, schedule) and config firewall service
// custom (tcp-portrange "<dstport_low>[-<dstport_high>:<srcport_low>-<srcport_high>]"):
// https://docs.fortinet.com/document/fortigate/7.2.1/cli-reference/324620 ;
// https://docs.fortinet.com/document/fortigate/7.2.0/administration-guide/656084/firewall-policy (policy order, schedules).
describe("FortiGate: source ports, schedules, service-negate, dstaddr-negate", () => {
  const policy = (id: number, src: string, extra: string) => `    edit ${id}
        set srcintf "wan1"
        set dstintf "internal"
        set action accept
        set srcaddr "${src}"
        set dstaddr "all"
${extra}    next
`;
  const CFG = `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall address
    edit "H1"
        set subnet 52.1.37.96 255.255.255.255
    next
    edit "H2"
        set subnet 52.1.32.88 255.255.255.255
    next
    edit "H3"
        set subnet 3.74.148.8 255.255.255.255
    next
    edit "H4"
        set subnet 3.74.148.9 255.255.255.255
    next
    edit "H5"
        set subnet 18.208.240.77 255.255.255.255
    next
end
config firewall service custom
    edit "SRC443"
        set tcp-portrange 1-65535:443
    next
    edit "HI-SRC"
        set tcp-portrange 443:1024-65535
    next
end
config firewall policy
${policy(1, "H1", '        set schedule "always"\n        set service "SRC443"\n')}${policy(2, "H2", '        set schedule "business-hours"\n        set service "HTTPS"\n')}${policy(3, "H3", '        set schedule "always"\n        set service "HTTPS"\n        set service-negate enable\n')}${policy(4, "H4", '        set schedule "always"\n        set service "SSH"\n        set service-negate enable\n')}${policy(5, "H5", '        set schedule "always"\n        set service "HI-SRC"\n        set dstaddr-negate enable\n')}${policy(6, "H5", '        set schedule "always"\n        set service "HI-SRC"\n')}end
`;
  const parsed = parseWith(fortigateParser, CFG);
  test("verdicts", () => {
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "18.208.240.77"]), {
      // source port 443 only: a webhook's ephemeral source port does not match
      "52.1.37.96": "missing",
      // a recurring schedule: not counted as coverage
      "52.1.32.88": "missing",
      // every service but HTTPS: not TCP 443
      "3.74.148.8": "missing",
      // every service but SSH: TCP 443 is in it
      "3.74.148.9": "covered",
      // policy 5 (every destination but all) matches nothing; policy 6's source 1024-65535 is any ephemeral port
      "18.208.240.77": "covered",
    });
    assert.deepEqual(
      // entries carry the address object's line
      [...new Set(parsed.entries.filter((e) => e.unmet !== undefined).map((e) => `${e.line} ${e.unmet}`))],
      [
        "8 only source port 443 (a client's source port is ephemeral)",
        "11 only during schedule business-hours",
        "20 dstaddr-negate with dstaddr all: matches no destination",
      ],
    );
  });
});

// Identity-based policies ("set groups", "set users", "set fsso-groups") match only authenticated users; with
// "set internet-service-src enable" the sources are Internet Service Database entries, not addresses of the paste.
// FortiOS CLI Reference, config firewall policy: https://docs.fortinet.com/document/fortigate/7.2.1/cli-reference/324620
describe("FortiGate: user groups and Internet Service sources", () => {
  const CFG = `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall address
    edit "H1"
        set subnet 52.1.37.96 255.255.255.255
    next
    edit "H2"
        set subnet 52.1.32.88 255.255.255.255
    next
end
config firewall policy
    edit 1
        set srcintf "wan1"
        set dstintf "internal"
        set action accept
        set srcaddr "H1"
        set dstaddr "all"
        set schedule "always"
        set service "HTTPS"
        set groups "vpn-users"
    next
    edit 2
        set srcintf "wan1"
        set dstintf "internal"
        set action accept
        set internet-service-src enable
        set internet-service-src-name "Amazon-AWS"
        set dstaddr "all"
        set schedule "always"
        set service "HTTPS"
    next
    edit 3
        set srcintf "wan1"
        set dstintf "internal"
        set action accept
        set srcaddr "H2"
        set dstaddr "all"
        set schedule "always"
        set service "HTTPS"
        set users "bob"
    next
end
`;
  test("accepts through groups/users or ISDB sources are not counted; an ISDB deny blocks every source", () => {
    const parsed = parseWith(fortigateParser, CFG);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind]),
      [[29, "note"]],
    );
    const ungated = parseWith(fortigateParser, CFG.replace(/ {8}set (?:groups|users) .*\n/g, ""));
    assert.deepEqual(statuses(ungated, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
    });
    // An ISDB deny listed before the accept: every source is read as denied (the safe side).
    const denyCfg = `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall address
    edit "H1"
        set subnet 52.1.37.96 255.255.255.255
    next
end
config firewall policy
    edit 7
        set srcintf "wan1"
        set dstintf "internal"
        set action deny
        set internet-service-src enable
        set internet-service-src-name "Amazon-AWS"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
    next
    edit 1
        set srcintf "wan1"
        set dstintf "internal"
        set action accept
        set srcaddr "H1"
        set dstaddr "all"
        set schedule "always"
        set service "HTTPS"
    next
end
`;
    assert.deepEqual(statuses(parseWith(fortigateParser, denyCfg), ["52.1.37.96"]), { "52.1.37.96": "missing" });
  });
});

// A firewall policy matches traffic from srcintf to dstintf: one whose dstintf is only the Internet-facing interface
// carries traffic back out to the Internet (hairpin), never to a service behind the FortiGate.
// FortiOS Administration Guide, "Firewall policy": https://docs.fortinet.com/document/fortigate/7.2.0/administration-guide/656084/firewall-policy
describe("FortiGate: dstintf", () => {
  test("a wan1 → wan1 policy is not on the way to a service behind the FortiGate", () => {
    const cfg = (dst: string) => `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall policy
    edit 1
        set srcintf "wan1"
        set dstintf ${dst}
        set action accept
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "HTTPS"
    next
end
`;
    assert.deepEqual(statuses(parseWith(fortigateParser, cfg('"wan1"')), ["52.1.37.96"]), { "52.1.37.96": "missing" });
    assert.deepEqual(statuses(parseWith(fortigateParser, cfg('"internal"')), ["52.1.37.96"]), {
      "52.1.37.96": "covered",
    });
    assert.deepEqual(statuses(parseWith(fortigateParser, cfg('"wan1" "internal"')), ["52.1.37.96"]), {
      "52.1.37.96": "covered",
    });
  });
});

describe("FortiGate: move", () => {
  const policies = (moves: string) => `config firewall policy
${[1, 2, 3]
  .map(
    (i) =>
      `    edit ${i}\n        set srcintf "wan1"\n        set dstintf "lan"\n        set srcaddr "all"\n        set dstaddr "all"\n        set action ${i === 2 ? "deny" : "accept"}\n        set service "HTTPS"\n    next`,
  )
  .join("\n")}
${moves}
end
`;
  const order = (moves: string) => {
    const out = fortigateParser.parse(policies(moves));
    return {
      rules: [...new Set(out.entries.map((e) => e.ruleLine ?? e.line))],
      findings: out.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };

  test("a policy moved before or after itself stays; a move naming no policy is a finding; others reorder", () => {
    assert.deepEqual(order("    move 2 before 2\n    move 3 after 3"), { rules: [5, 13, 21], findings: [] });
    assert.deepEqual(order("    move 3 before 1"), { rules: [21, 5, 13], findings: [] });
    assert.deepEqual(order("    move 1 after 9"), {
      rules: [5, 13, 21],
      findings: [
        [26, "undefined-reference", '"9" is not a policy of this section in the paste: the move is not applied.'],
      ],
    });
  });
});

// FortiOS applies a VIP's destination NAT before the policy lookup: a deny policy whose dstaddr names no VIP (all, or
// the server's own address) matches connections to the VIP only with "set match-vip enable", the default from
// FortiOS 7.2.4 (disable before). match-vip is settable on deny policies only (6.4.3+).
// https://community.fortinet.com/fortigate-3/technical-tip-deny-policy-for-virtual-ip-firewall-policy-94794
// https://docs.fortinet.com/document/fortigate/6.4.8/fortios-release-notes/350283
// A VIP is a destination of its own table (config firewall vip): https://docs.fortinet.com/document/fortigate/7.0.3/cli-reference/303620
describe("FortiGate: virtual IPs and match-vip", () => {
  const cfg = (version: string, matchVip: string) => `${version}config system interface
    edit "wan1"
        set role wan
    next
end
config firewall vip
    edit "VIP-WEB"
        set extip 203.0.113.10
        set mappedip "10.1.1.10"
        set extintf "wan1"
    next
end
config firewall vipgrp
    edit "VIPS"
        set interface "wan1"
        set member "VIP-WEB"
    next
end
config firewall policy
    edit 3
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "FW-US-2"
        set dstaddr "all"
        set action deny${matchVip}
        set schedule "always"
        set service "ALL"
    next
    edit 1
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "all"
        set dstaddr "VIP-WEB" "VIPS"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
config firewall address
    edit "FW-US-2"
        set subnet 52.1.32.88 255.255.255.255
    next
end
`;
  const run = (version: string, matchVip = "") => {
    const parsed = parseWith(fortigateParser, cfg(version, matchVip));
    return {
      status: statuses(parsed, ["52.1.32.88"])["52.1.32.88"],
      unmet: parsed.entries.find((e) => e.action === "deny")?.unmet,
      findings: parsed.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };
  const v70 = "#config-version=FGT60F-7.0.12-FW-build0523-230606:opmode=0:vdom=0:user=admin\n";
  const v74 = "#config-version=FGT60F-7.4.3-FW-build2573-240201:opmode=0:vdom=0:user=admin\n";

  test("VIPs and VIP groups are destinations, not undefined addresses", () => {
    // Before: line 36 was 'Undefined reference: "VIP-WEB" is not defined in this paste' (and "VIPS").
    assert.deepEqual(run(v74), {
      status: "missing",
      unmet: undefined,
      findings: [[41, "unused-object", 'Address "FW-US-2" is defined but no allow rule uses it.']],
    });
  });

  test("a deny naming no VIP does not block a VIP's connections with match-vip disable (set, or the default before 7.2.4)", () => {
    const why = (how: string) =>
      `${how}: a deny whose dstaddr names no VIP does not match connections to VIP VIP-WEB, which the service is published through`;
    assert.deepEqual(run(v70).status, "covered");
    assert.deepEqual(run(v70).unmet, why("match-vip not set (disable by default before FortiOS 7.2.4)"));
    assert.deepEqual(run(v74, "\n        set match-vip disable").unmet, why("match-vip disable"));
    assert.deepEqual(run(v74, "\n        set match-vip disable").status, "covered");
    assert.deepEqual(run(v70, "\n        set match-vip enable").status, "missing");
  });

  test("without the version or the setting: read as matching, with a note on the action line", () => {
    assert.deepEqual(run(""), {
      status: "missing",
      unmet: undefined,
      findings: [
        [
          25,
          "note",
          "Whether this deny matches connections to VIP VIP-WEB depends on match-vip, which is not set: its default is enable from FortiOS 7.2.4 and disable before, and the paste does not say the version. Read as matching (the safe side).",
        ],
        [40, "unused-object", 'Address "FW-US-2" is defined but no allow rule uses it.'],
      ],
    });
  });
});

// A policy whose destination is a port-forwarding VIP is matched after the destination NAT, on the mapped port: with
// extport 443 → mappedport 8443, a policy service of HTTPS (443) does not match (the traffic meets the implicit deny),
// a service of 8443 does. https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-use-virtual-IPs-with-non-standard-external/ta-p/262988
describe("FortiGate: port-forwarding VIPs are matched on the mapped port", () => {
  const cfg = (service: string) => `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall vip
    edit "VIP-WEB"
        set extip 203.0.113.10
        set mappedip "10.1.1.10"
        set extintf "wan1"
        set portforward enable
        set extport 443
        set mappedport 8443
    next
end
config firewall service custom
    edit "TCP-8443"
        set tcp-portrange 8443
    next
end
config firewall policy
    edit 1
        set name "webhooks"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "all"
        set dstaddr "VIP-WEB"
        set action accept
        set schedule "always"
        set service ${service}
    next
end
`;
  const run = (service: string, port = 443) => {
    const parsed = parseWith(fortigateParser, cfg(service));
    return {
      status: statuses(parsed, ["52.1.37.96"], port)["52.1.37.96"],
      unmet: [...new Set(parsed.entries.map((e) => e.unmet))],
      findings: parsed.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };

  test("service HTTPS does not match external 443 forwarded to 8443; the mapped port's service does", () => {
    // Before: service HTTPS read as allowing 443 (covered), and service TCP-8443 as allowing 8443 only.
    assert.deepEqual(run('"HTTPS"'), {
      status: "missing",
      unmet: ["its services match no port the VIPs forward (matched on the mapped port; VIP-WEB: 443 → 8443)"],
      findings: [],
    });
    assert.deepEqual(run('"TCP-8443"'), {
      status: "covered",
      unmet: [undefined],
      findings: [
        [
          30,
          "note",
          'Policy "webhooks" is matched on the VIPs\' mapped ports (VIP-WEB: 443 → 8443): its services are read as the external TCP port 443.',
        ],
      ],
    });
    assert.deepEqual(run('"TCP-8443"', 8443).status, "missing");
    assert.deepEqual(run('"ALL"').status, "covered");
    assert.deepEqual(run('"ALL"', 80).status, "missing");
  });
});

// NGFW policy-based mode: a connection must match a firewall policy (SSL inspection & authentication; in FortiOS 6.2
// it has no action and hands what it matches to the security policies) and then a security policy ("config firewall
// security-policy"), each first match with its implicit deny. https://docs.fortinet.com/document/fortigate/6.2.1/new-features/370579
describe("FortiGate: NGFW policy-based mode (security policies after firewall policies)", () => {
  const cfg = (action: string) => `config system interface
    edit "wan1"
        set role wan
    next
end
config firewall address
    edit "FW-US-2"
        set subnet 52.1.32.88 255.255.255.255
    next
end
config firewall policy
    edit 1
        set name "Default"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "all"
        set dstaddr "all"${action}
        set service "ALL"
        set ssl-ssh-profile "certificate-inspection"
    next
end
config firewall security-policy
    edit 1
        set name "deny-one"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr4 "FW-US-2"
        set dstaddr4 "all"
        set action deny
        set schedule "always"
        set service "ALL"
    next
    edit 2
        set name "webhooks"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
`;
  test("both lists must let the connection through; a firewall policy without an action hands over", () => {
    for (const action of ["\n        set action accept", ""]) {
      const parsed = parseWith(fortigateParser, cfg(action));
      // Before: the security policies were appended to the firewall policies as one list, and their "edit 1"
      // re-entered the firewall policy 1 (one id space), so the deny's settings overwrote the Default policy; without
      // an action the Default policy read as a deny of everything.
      assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
        "52.1.37.96": "covered",
        "52.1.32.88": "missing",
      });
      assert.deepEqual(pathRows(parsed).contexts, [
        ["firewall policies", true, "deny"],
        ["security policies (NGFW policy-based mode)", true, "deny"],
      ]);
    }
  });
});
