import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ciscoAsaParser } from "./cisco-asa";
import { ciscoIosParser } from "./cisco-ios";
import { lineVerdicts, parseWith, pathRows, statuses, traceRows } from "./path.testkit";

const IPS = ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "18.208.240.77"];

// Cisco ASA Series Firewall CLI Configuration Guide 9.18, "Access Rules":
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa918/configuration/firewall/asa-918-firewall-config/access-rules.html
// (interface access rules are processed before global rules; the implicit deny follows the global rules; without an
// access rule, traffic from a lower to a higher security level is denied), and the access-list extended command
// reference for `inactive` and `time-range`:
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html
const ASA = `ASA Version 9.18(3)
hostname fw-edge
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.1.1 255.255.255.0
object-group network FRESHWORKS-US
 network-object host 52.1.37.96
 network-object host 52.1.32.88
access-list INSIDE_IN extended permit ip any any
access-list OUTSIDE_IN extended deny tcp host 52.1.32.88 any eq https
access-list OUTSIDE_IN extended permit tcp host 3.74.148.8 any eq https inactive
access-list OUTSIDE_IN extended permit tcp host 18.208.240.77 any eq https time-range BUSINESS-HOURS
access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS-US any eq https
access-list GLOBAL_IN extended permit tcp 3.74.148.0 255.255.255.0 any eq https
access-list SPARE extended permit ip any any
access-group OUTSIDE_IN in interface outside
access-group INSIDE_IN in interface inside
access-group GLOBAL_IN global
`;

describe("Cisco ASA: the ACL bound inbound on the outside interface, then the global ACL, then the implicit deny", () => {
  const parsed = parseWith(ciscoAsaParser, ASA);

  test("path: outside is found by security-level 0; inside and unbound ACLs are off the path", () => {
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["ACL OUTSIDE_IN in on outside, then global ACL GLOBAL_IN", true, "deny"],
        ["ACL INSIDE_IN", false, "deny"],
        ["ACL SPARE", false, "deny"],
      ],
      assumption:
        "Internet-facing interface: outside (security-level 0); only the ACL bound inbound there and the global ACL decide. Override with --ingress IFACE.",
    });
  });

  test("verdicts: deny first, inactive skipped (the global ACL then allows), time-range not counted", () => {
    assert.deepEqual(statuses(parsed, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
      "3.74.148.9": "covered",
      "18.208.240.77": "missing",
    });
    assert.deepEqual(lineVerdicts(parsed, IPS), [
      [15, "deny", "Denies 52.1.32.88/32 (US): webhooks from it will be blocked."],
      [16, "inactive", "Never met by a new inbound connection: inactive (the ASA skips it)."],
      [17, "inactive", "Never met by a new inbound connection: only during time-range BUSINESS-HOURS."],
      [12, "covers", "Allows 52.1.37.96/32 (US) through object FRESHWORKS-US."],
      [13, "unrelated", "Allows 52.1.32.88/32 (US), but line 15 already denies it."],
      [19, "covers", "Allows 3.74.148.8/32 (US), 3.74.148.9/32 (US) through the broader CIDR 3.74.148.0/24."],
      // "any any" on an ASA is both families: two entries per line.
      [
        14,
        "inactive",
        "ACL INSIDE_IN is not on the path: it is bound inbound on inside, not on the Internet-facing interface outside",
      ],
      [
        14,
        "inactive",
        "ACL INSIDE_IN is not on the path: it is bound inbound on inside, not on the Internet-facing interface outside",
      ],
      [20, "inactive", "ACL SPARE is not on the path: no access-group line applies it"],
      [20, "inactive", "ACL SPARE is not on the path: no access-group line applies it"],
    ]);
  });

  test("trace: the inactive entry is met but not matched; the global ACL decides", () => {
    assert.deepEqual(traceRows(parsed, "3.74.148.8"), {
      allowed: true,
      summary: "3.74.148.8 → TCP 443: allowed by line 19.",
      contexts: [
        {
          name: "ACL OUTSIDE_IN in on outside, then global ACL GLOBAL_IN",
          onPath: true,
          decision: { by: "rule", line: 19, action: "allow" },
          steps: [
            [16, false, false, "inactive (the ASA skips it)"],
            [19, true, true, "address, TCP and port 443 match"],
          ],
        },
        {
          name: "ACL INSIDE_IN",
          onPath: false,
          decision: null,
          steps: [[14, false, false, "its context is not on the path"]],
        },
        {
          name: "ACL SPARE",
          onPath: false,
          decision: null,
          steps: [[20, false, false, "its context is not on the path"]],
        },
      ],
    });
  });

  test("--ingress inside puts INSIDE_IN (and the global ACL) on the path instead", () => {
    const inside = parseWith(ciscoAsaParser, ASA, { ingress: "inside" });
    assert.deepEqual(pathRows(inside).contexts[0], [
      "ACL INSIDE_IN in on inside, then global ACL GLOBAL_IN",
      true,
      "deny",
    ]);
    assert.deepEqual(statuses(inside, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "covered",
      "18.208.240.77": "covered",
    });
  });

  test("no inbound ACL on outside and no global ACL: the security levels deny everything", () => {
    const text = ASA.replace("access-group OUTSIDE_IN in interface outside\n", "").replace(
      "access-group GLOBAL_IN global\n",
      "",
    );
    const p = parseWith(ciscoAsaParser, text);
    assert.deepEqual(pathRows(p).contexts[0], ["outside (no inbound ACL)", true, "deny"]);
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
      "3.74.148.9": "missing",
      "18.208.240.77": "missing",
    });
  });
});

// Cisco IOS XE "IP Access List Overview" and "Configure Commonly Used IP ACLs":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-access-list-ip-overview.html
// https://www.cisco.com/c/en/us/support/docs/ip/access-lists/26448-ACLsamples.html
// (ip access-group in|out per interface; `established` matches TCP segments with ACK or RST set; wildcard mask bits
// match bit by bit and need not be contiguous; the implicit deny at the end; time-range).
const IOS = `hostname branch-rtr
interface GigabitEthernet0/0
 description Uplink to ISP
 ip address 203.0.113.2 255.255.255.252
 ip nat outside
 ip access-group FROM-INTERNET in
 ip access-group TO-INTERNET out
interface GigabitEthernet0/1
 description LAN
 ip address 10.1.1.1 255.255.255.0
 ip nat inside
 ip access-group LAN-IN in
ip access-list extended FROM-INTERNET
 10 permit tcp any any established
 20 permit tcp 52.1.37.0 0.0.0.255 any eq 443
 30 permit tcp 3.74.148.8 0.0.1.0 any eq 443
 40 permit tcp host 52.1.32.88 any eq 443 time-range OFFICE
 50 permit tcp host 18.208.240.77 any eq 22
 60 deny ip any any log
ip access-list extended TO-INTERNET
 permit ip any any
ip access-list extended LAN-IN
 permit ip any any
`;

describe("Cisco IOS: the ACL bound inbound on the Internet-facing interface decides", () => {
  const parsed = parseWith(ciscoIosParser, IOS);

  test("path: the interface with ip nat outside; out and LAN ACLs off the path", () => {
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["ACL FROM-INTERNET in on GigabitEthernet0/0", true, "deny"],
        // ip access-group filters IPv4 only: IPv6 entering GigabitEthernet0/0 is not filtered.
        ["GigabitEthernet0/0 (no inbound IPv6 ACL)", true, "allow"],
        ["ACL TO-INTERNET", false, "deny"],
        ["ACL LAN-IN", false, "deny"],
      ],
      assumption:
        'Internet-facing interface: GigabitEthernet0/0 (described "Uplink to ISP"); only the ACL bound inbound there decides. Override with --ingress IFACE.',
    });
  });

  test("verdicts: established matches no SYN, the non-contiguous wildcard matches exactly two hosts, time-range not counted", () => {
    assert.deepEqual(statuses(parsed, [...IPS, "3.74.149.8"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
      "18.208.240.77": "missing",
      "3.74.149.8": "covered",
    });
    const t = traceRows(parsed, "52.1.32.88");
    assert.equal(t.summary, "52.1.32.88 → TCP 443: blocked by line 19 in ACL FROM-INTERNET in on GigabitEthernet0/0.");
    assert.deepEqual(t.contexts[0]!.steps, [
      [14, false, false, "established: only packets with ACK or RST set, never a new connection's SYN"],
      [17, false, false, "only during time-range OFFICE"],
      [19, true, true, "address, TCP and port 443 match"],
    ]);
    assert.deepEqual(traceRows(parsed, "18.208.240.77").contexts[0]!.steps.slice(1), [
      [18, false, false, "port 22, not 443"],
      [19, true, true, "address, TCP and port 443 match"],
    ]);
  });

  test("no ACL inbound on the Internet-facing interface: IOS forwards everything", () => {
    const p = parseWith(ciscoIosParser, IOS.replace(" ip access-group FROM-INTERNET in\n", ""));
    assert.deepEqual(pathRows(p).contexts[0], ["GigabitEthernet0/0 (no inbound ACL)", true, "allow"]);
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "covered",
      "18.208.240.77": "covered",
    });
  });

  test("nothing bound: every ACL is evaluated in paste order, and the assumption says so", () => {
    const p = parseWith(
      ciscoIosParser,
      IOS.split("ip access-list extended TO-INTERNET")[0]!.replace(/^interface[\s\S]*?(?=ip access-list)/m, ""),
    );
    assert.deepEqual(pathRows(p), {
      contexts: [["ACL FROM-INTERNET (not bound)", true, "deny"]],
      assumption:
        "No ACL is bound to an interface in this paste (no access-group line): every ACL is evaluated as if applied inbound on the Internet-facing interface.",
    });
    assert.equal(statuses(p, IPS)["52.1.37.96"], "covered");
  });

  test("a non-contiguous wildcard with more than 1024 blocks is reported, not widened", () => {
    const p = parseWith(ciscoIosParser, "ip access-list extended X\n permit ip 10.0.0.0 0.255.255.0 any\n");
    assert.deepEqual(
      p.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "not-understood",
          '"10.0.0.0 0.255.255.0": the non-contiguous wildcard mask matches 65,536 separate address blocks, too many to list; this entry is not read.',
        ],
      ],
    );
  });
});
