import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fortigateParser } from "./fortigate";
import { lineVerdicts, parseWith, pathRows, statuses, traceRows } from "./path.testkit";

const IPS = [
  "52.1.37.96",
  "52.1.32.88",
  "3.74.148.8",
  "3.74.148.9",
  "3.74.148.10",
  "18.208.240.77",
  "13.232.152.211",
  "44.206.73.232",
];

// FortiOS 7.4 Administration Guide, "Firewall policy" and "Policy views and policy lookup": policies are evaluated top
// down in the order of the list (`move … before|after` changes it; the id does not), first match, then the implicit
// deny; `set status disable` skips a policy; srcintf must match the ingress interface or its zone; address groups
// with `set exclude enable` match the members minus the exclude-members; VDOMs have their own policies:
// https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/656084/firewall-policy
// https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/142626/address-group-exclusions
const FGT = `#config-version=FGT100F-7.4.3-FW-build2573-240201:opmode=0:vdom=1:user=admin
config vdom
edit root
config system interface
    edit "port1"
        set vdom "root"
        set role wan
        set ip 203.0.113.2 255.255.255.0
    next
    edit "port2"
        set vdom "root"
        set role lan
    next
end
config system zone
    edit "WAN-ZONE"
        set interface "port1"
    next
end
config firewall address
    edit "FW-US"
        set subnet 52.1.37.96 255.255.255.255
    next
    edit "FW-US-2"
        set subnet 52.1.32.88 255.255.255.255
    next
    edit "FW-EU"
        set subnet 3.74.148.8 255.255.255.252
    next
    edit "FW-EU-9"
        set subnet 3.74.148.9 255.255.255.255
    next
    edit "FW-IN"
        set subnet 13.232.152.211 255.255.255.255
    next
    edit "FW-US-3"
        set subnet 18.208.240.77 255.255.255.255
    next
    edit "FW-US-4"
        set subnet 44.206.73.232 255.255.255.255
    next
end
config firewall addrgrp
    edit "FRESHWORKS"
        set member "FW-US" "FW-EU"
        set exclude enable
        set exclude-member "FW-EU-9"
    next
end
config firewall service group
    edit "WEBHOOKS"
        set member "HTTPS" "HTTP"
    next
end
config firewall policy
    edit 1
        set name "webhooks"
        set srcintf "WAN-ZONE"
        set dstintf "port2"
        set srcaddr "FRESHWORKS"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "WEBHOOKS"
    next
    edit 2
        set name "block-us2"
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "FW-US-2"
        set dstaddr "all"
        set action deny
        set schedule "always"
        set service "ALL"
    next
    edit 3
        set name "us2"
        set srcintf "any"
        set dstintf "port2"
        set srcaddr "FW-US-2" "FW-US-3"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
    edit 4
        set name "lan-only"
        set srcintf "port2"
        set dstintf "port1"
        set srcaddr "FW-IN"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
    edit 5
        set name "old"
        set status disable
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "FW-US-4"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
    move 3 before 2
    move 1 after 5
end
next
edit dmz
config firewall policy
    edit 1
        set srcintf "any"
        set dstintf "any"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set service "ALL"
    next
end
next
end
`;

describe("FortiGate: list order after move, srcintf, disabled, group exclusion, VDOMs", () => {
  const parsed = parseWith(fortigateParser, FGT);

  test("path: the root VDOM's policies (port1 has role wan); the dmz VDOM is off the path", () => {
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["VDOM root: firewall policies", true, "deny"],
        ["VDOM dmz: firewall policies", false, "deny"],
      ],
      assumption:
        "Internet-facing interface: port1 (set role wan) in VDOM root; only policies whose srcintf is port1, WAN-ZONE, any apply, to a service behind the FortiGate. Override with --ingress IFACE or --path.",
    });
  });

  test("verdicts: policy 3 moved before 2 allows 52.1.32.88; the exclusion removes 3.74.148.9; lan-only and disabled never met", () => {
    assert.deepEqual(statuses(parsed, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
      "3.74.148.10": "covered",
      "18.208.240.77": "covered",
      "13.232.152.211": "missing",
      "44.206.73.232": "missing",
    });
    // Entries sit on the lines that write the addresses (the objects); the rules' order is the list after the moves:
    // 3 (FW-US-2, FW-US-3), 2, 4, 5, 1 (FRESHWORKS, line 44, minus FW-EU-9).
    assert.equal(traceRows(parsed, "52.1.32.88").summary, "52.1.32.88 → TCP 443: allowed by line 25.");
    assert.deepEqual(traceRows(parsed, "13.232.152.211").contexts[0]!.steps, [
      [34, false, false, "srcintf port2, not the Internet-facing interface port1"],
    ]);
    assert.deepEqual(traceRows(parsed, "44.206.73.232").contexts[0]!.steps, [[40, false, false, "set status disable"]]);
    assert.equal(
      traceRows(parsed, "3.74.148.9").summary,
      "3.74.148.9 → TCP 443: blocked — no rule of VDOM root: firewall policies (line 3) matches, and its default is deny.",
    );
    assert.deepEqual(lineVerdicts(parsed, IPS), [
      [25, "covers", "Allows 52.1.32.88/32 (US) through object FW-US-2."],
      [37, "covers", "Allows 18.208.240.77/32 (US) through object FW-US-3."],
      [25, "deny", "Denies 52.1.32.88/32 (US), but line 80 (evaluated before this rule) already decided it."],
      [
        34,
        "inactive",
        "Never met by a new inbound connection: srcintf port2, not the Internet-facing interface port1.",
      ],
      [40, "inactive", "Never met by a new inbound connection: set status disable."],
      [44, "covers", "Allows 3.74.148.8/32 (US) through object FRESHWORKS."],
      [44, "covers", "Allows 3.74.148.10/32 (US) through object FRESHWORKS."],
      [44, "covers", "Allows 52.1.37.96/32 (US) through object FRESHWORKS."],
      [
        116,
        "inactive",
        "VDOM dmz: firewall policies is not on the path: another VDOM: the Internet-facing interface is in VDOM root",
      ],
    ]);
  });

  test("--ingress port2: the LAN policy applies instead; --path input: the local-in side (none here) is the path", () => {
    const lan = parseWith(fortigateParser, FGT, { ingress: "port2" });
    assert.equal(statuses(lan, IPS)["13.232.152.211"], "covered");
    assert.equal(statuses(lan, IPS)["3.74.148.8"], "missing");
  });

  // Local-in policies have no implicit deny: "By default, no local-in policies are defined, so there are no
  // restrictions on local-in traffic" (FortiOS 7.2 Administration Guide, "Local-in policy",
  // https://docs.fortinet.com/document/fortigate/7.2.1/administration-guide/363127); what none matches reaches what the
  // interface's allowaccess opens. We read an unmatched connection as denied.
  test("--path input: what no local-in policy matches reaches the services allowaccess opens; without https, nothing", () => {
    const config = (access: string, localIn: boolean) => `config system interface
    edit "wan1"
        set ip 198.51.100.2 255.255.255.248
        set allowaccess ${access}
        set role wan
    next
end
config firewall address
    edit "scanners"
        set subnet 3.74.148.8 255.255.255.254
    next
end
${
  localIn
    ? `config firewall local-in-policy
    edit 1
        set intf "wan1"
        set srcaddr "scanners"
        set dstaddr "all"
        set action deny
        set service "ALL"
        set schedule "always"
    next
end
`
    : ""
}`;
    const open = parseWith(fortigateParser, config("ping https", true), { path: "input" });
    assert.deepEqual(statuses(open, ["3.74.148.8", "3.74.148.10", "52.1.37.96"]), {
      "3.74.148.8": "missing",
      "3.74.148.10": "covered",
      "52.1.37.96": "covered",
    });
    assert.deepEqual(pathRows(open).contexts, [["local-in policies", true, "allow"]]);
    const shut = parseWith(fortigateParser, config("ping ssh", true), { path: "input" });
    assert.deepEqual(statuses(shut, ["3.74.148.10"]), { "3.74.148.10": "missing" });
    assert.equal(
      traceRows(shut, "3.74.148.10").summary,
      "3.74.148.10 → TCP 443: blocked — no rule of local-in policies matches, and its default is deny.",
    );
    assert.equal(
      shut.path?.contexts[0]?.reason,
      "Traffic to the FortiGate itself: local-in policies in list order, first match; what none matches finds nothing on port 443: wan1's allowaccess (ping ssh) opens no service on it.",
    );
    // No local-in policy (only forwarding ones): allowaccess alone decides.
    const forwarding = `${config("https", false)}config firewall policy
    edit 1
        set srcintf "wan1"
        set dstintf "lan"
        set srcaddr "scanners"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
        set schedule "always"
    next
end
`;
    const none = parseWith(fortigateParser, forwarding, { path: "input" });
    assert.deepEqual(pathRows(none).contexts, [
      ["firewall policies", false, "deny"],
      ["local-in (no local-in policy)", true, "allow"],
    ]);
    assert.equal(traceRows(none, "52.1.37.96").allowed, true);
  });
});
