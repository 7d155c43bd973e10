/**
 * Rules for different ICMP types are not duplicates. The readers dropped the type, so "permit icmp any any echo-reply"
 * and "… unreachable" read as the same rule and the diff said "Duplicate of line 10: remove it" (removing it breaks
 * ping, path-MTU discovery or IPv6 neighbour discovery). The type is now Entry.qualifier: read as met (no TCP
 * connection meets an ICMP rule), it tells the rules apart. Syntax: Cisco IOS "ip access-list extended" ICMP message
 * names, ASA "access-list extended … icmp … icmp_type", RouterOS "icmp-options=TYPE:CODE", FortiGate "set icmptype",
 * pfSense <icmptype> (the fixtures in fixtures/icmp/ are written as each vendor's documentation and backups show them).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { parseText } from "../registry";
import type { FormatId } from "../types";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/icmp/${name}`, import.meta.url), "utf8");

/** The ICMP entries' [line, qualifier], and the lines the diff calls duplicates. */
function read(text: string, format: FormatId) {
  const parsed = parseText(text, format);
  const d = diff(SEED_CATALOG, parsed, { regions: ["US"] });
  return {
    icmp: [
      ...new Set(
        parsed.entries.filter((e) => e.protocol?.startsWith("icmp")).map((e) => `${e.line} ${e.qualifier ?? "-"}`),
      ),
    ],
    duplicates: d.entries.filter((v) => v.flags.includes("duplicate")).map((v) => v.line),
  };
}

describe("ICMP rules of different types are not duplicates", () => {
  test("Cisco IOS: echo-reply, unreachable, time-exceeded; IPv6 nd-na, nd-ns, router-advertisement", () => {
    assert.deepEqual(read(fixture("ios.txt"), "cisco-ios"), {
      icmp: [
        "10 icmp echo-reply",
        "11 icmp unreachable",
        "12 icmp time-exceeded",
        "17 icmp nd-na",
        "18 icmp nd-ns",
        "19 icmp router-advertisement",
      ],
      duplicates: [],
    });
  });

  test("Cisco ASA: a type and a type with a code; the same type twice is still a duplicate", () => {
    const asa = `interface GigabitEthernet0/0
 nameif outside
access-list OUTSIDE_IN extended permit icmp any any echo-reply
access-list OUTSIDE_IN extended permit icmp any any unreachable log
access-list OUTSIDE_IN extended permit icmp any any 3 4
access-list OUTSIDE_IN extended permit icmp any any echo-reply
access-group OUTSIDE_IN in interface outside
`;
    assert.deepEqual(read(asa, "cisco-asa"), {
      icmp: ["3 icmp echo-reply", "4 icmp unreachable", "5 icmp 3 4", "6 icmp echo-reply"],
      duplicates: [6, 6],
    });
  });

  test("MikroTik icmp-options, FortiGate icmptype services, pfSense <icmptype>", () => {
    assert.deepEqual(read(fixture("mikrotik.rsc"), "mikrotik"), {
      icmp: ["3 icmp-options=0:0", "4 icmp-options=3:4", "5 icmp-options=11:0"],
      duplicates: [],
    });
    assert.deepEqual(read(fixture("fortigate.conf"), "fortigate"), {
      icmp: ["20 icmptype 0", "29 icmptype 3"],
      duplicates: [],
    });
    assert.deepEqual(read(fixture("pfsense.xml"), "pfsense"), {
      icmp: ["7 icmptype echoreq", "17 icmptype unreach"],
      duplicates: [],
    });
  });
});
