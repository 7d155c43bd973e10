/**
 * Fuzz and hang guard for the vendor parsers: random lines and mutated samples never make a parser throw, every
 * line number they report exists, and a 10k-line input finishes well within 2 s (a hang guard, not a benchmark).
 * Each parser group appends its own describe block.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ParseOutput, Parser } from "../types";
import { sampleGenerators } from "./samples";
import { formatIds } from "../registry";

/** What every output must satisfy, whatever the input. */
function assertSane(p: Parser, text: string): ParseOutput {
  const out = p.parse(text);
  assert.equal(out.format, p.id);
  for (const e of out.entries) {
    assert.ok(e.line >= 1 && e.line <= out.lineCount, `${p.id}: entry line ${e.line} outside 1..${out.lineCount}`);
    assert.ok(e.range.first.value <= e.range.last.value && e.range.first.family === e.range.last.family);
  }
  for (const f of out.findings)
    assert.ok(f.line >= 1 && f.line <= out.lineCount, `${p.id}: finding line ${f.line} outside 1..${out.lineCount}`);
  return out;
}

/** Mutations of a config: truncation, duplicated lines, swapped words, random bytes. */
function mutations(text: string): fc.Arbitrary<string> {
  const lines = text.split("\n");
  return fc.oneof(
    fc.nat(text.length).map((n) => text.slice(0, n)),
    fc.array(fc.nat(lines.length - 1), { maxLength: 20 }).map((picks) => {
      const out = [...lines];
      for (const i of picks) out.splice(i, 0, lines[i]!);
      return out.join("\n");
    }),
    fc.array(fc.tuple(fc.nat(lines.length - 1), fc.nat(20), fc.nat(20)), { maxLength: 20 }).map((swaps) => {
      const out = [...lines];
      for (const [i, a, b] of swaps) {
        const w = out[i]!.split(" ");
        if (a < w.length && b < w.length) [w[a], w[b]] = [w[b]!, w[a]!];
        out[i] = w.join(" ");
      }
      return out.join("\n");
    }),
    fc
      .array(fc.tuple(fc.nat(text.length), fc.string({ unit: "binary", maxLength: 8 })), { maxLength: 20 })
      .map((edits) => {
        let out = text;
        for (const [at, s] of edits) out = out.slice(0, at) + s + out.slice(at);
        return out;
      }),
  );
}

/** Random lines built from a format's own words, addresses and junk, so the parser's deeper branches are reached. */
function randomConfig(vocabulary: readonly string[]): fc.Arbitrary<string> {
  const word = fc.oneof(
    fc.constantFrom(...vocabulary),
    fc.ipV4(),
    fc.ipV6(),
    fc.tuple(fc.ipV4(), fc.nat(40)).map(([a, n]) => `${a}/${n}`),
    fc.constantFrom(
      "[",
      "]",
      '"',
      "{",
      "}",
      "-",
      "/",
      "0.0.0.255",
      "255.255.255.0",
      "443",
      "eq",
      "range",
      "any",
      "host",
    ),
    fc.string({ maxLength: 6 }),
  );
  const indent = fc.constantFrom("", " ", "    ", "\t");
  const line = fc.tuple(indent, fc.array(word, { maxLength: 10 })).map(([i, w]) => i + w.join(" "));
  return fc.array(line, { maxLength: 60 }).map((ls) => ls.join("\n"));
}

/** Runs the three checks for one parser. */
export function fuzzParser(p: Parser, vocabulary: readonly string[]): void {
  const seedConfig = sampleGenerators[p.id]?.(120, 7) ?? vocabulary.join(" ");
  test(`${p.id}: random lines never throw`, () => {
    fc.assert(
      fc.property(randomConfig(vocabulary), (text) => void assertSane(p, text)),
      { numRuns: 300 },
    );
  });
  test(`${p.id}: mutated samples never throw`, () => {
    fc.assert(
      fc.property(mutations(seedConfig), (text) => void assertSane(p, text)),
      { numRuns: 300 },
    );
  });
  // How fast 10k lines are read is measured by npm run bench:linear, not asserted here.
  test(`${p.id}: 10k lines are read sanely, also when mangled`, () => {
    const generate = sampleGenerators[p.id];
    assert.ok(generate, `no sample generator for ${p.id}`);
    const big = generate(10_000, 3);
    // Each line repeated and shuffled pieces re-joined: duplicate definitions, references before definitions.
    const mangled = big.split("\n").reverse().join("\n") + "\n" + big;
    for (const text of [big, mangled]) assertSane(p, text);
  });
}

// ---- network formats: Cisco ASA, Cisco IOS, PAN-OS, FortiGate, Junos ----
import { networkParsers } from "./network";

const NETWORK_VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  "cisco-asa":
    "access-list OUT extended permit deny tcp udp ip object object-group network service protocol network-object port-object service-object group-object subnet host range access-group in out interface global name fqdn nat inactive destination source tcp-udp any4 any6 G1 G2".split(
      " ",
    ),
  "cisco-ios":
    "ip ipv6 access-list extended standard resequence 100 permit deny tcp udp object-group network service group-object remark established access-group traffic-filter access-class interface in out banner motd ^C 10 101 1300 sequence G1 G2".split(
      " ",
    ),
  panos:
    "set shared vsys vsys1 device-group DG address address-group service service-group rulebase pre-rulebase post-rulebase security rules R1 source destination service application action allow deny drop ip-netmask ip-range ip-wildcard fqdn static dynamic members negate-source disabled yes protocol port application-default A1 G1".split(
      " ",
    ),
  fortigate:
    "config end edit next set append unset firewall address address6 addrgrp addrgrp6 policy policy6 local-in-policy service custom group vdom subnet ip6 type iprange start-ip end-ip member srcaddr srcaddr6 dstaddr action accept deny status disable srcaddr-negate enable tcp-portrange ALL HTTPS all A1 G1".split(
      " ",
    ),
  junos:
    "set deactivate security address-book global address address-set zones security-zone policies from-zone to-zone policy global default-policy permit-all deny-all match source-address destination-address application source-address-excluded then permit deny reject applications application application-set term protocol destination-port range-address to wildcard-address dns-name A1 S1".split(
      " ",
    ),
};

describe("network parsers: fuzz and hang guard", () => {
  for (const p of networkParsers) fuzzParser(p, NETWORK_VOCABULARY[p.id] ?? []);
});

// ---- Linux, web-server and cloud formats ----
import { linuxParsers } from "./linux";

const JSON_WORDS = '{ } [ ] , : "" "*" "tcp" "Tcp" "-1" 443 "443" "80-90" null true'.split(" ");
const LINUX_VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  iptables:
    "*filter *nat COMMIT :INPUT :FORWARD :OUTPUT :WEB ACCEPT DROP REJECT RETURN LOG WEB - [0:0] -A -I -P -N INPUT FORWARD OUTPUT -s -d -p tcp udp ! -m multiport set --match-set src --dport --dports 80,443 1000:2000 -j -g -i lo --ctstate --state NEW ESTABLISHED --src-range --comment create add hash:net nomatch".split(
      " ",
    ),
  nftables:
    "table inet ip ip6 filter chain set map type hook input output forward priority policy accept; drop; elements = flags interval ipv4_addr ipv6_addr inet_service saddr daddr tcp udp dport != @S1 $V jump goto return accept drop ct state new established iif lo define counter S1 C1".split(
      " ",
    ),
  ipset:
    "create add S1 S2 hash:ip hash:net hash:ip,port list:set bitmap:ip family inet inet6 timeout nomatch comment tcp:443 udp:53 range".split(
      " ",
    ),
  nginx: "server location http stream geo allow deny all unix: ; { } listen include default".split(" "),
  apache:
    "<Directory> </Directory> <Location> </Location> <RequireAll> </RequireAll> <RequireAny> </RequireAny> <RequireNone> </RequireNone> Require not ip all granted denied host Order deny,allow allow,deny Allow Deny from env=x \\".split(
      " ",
    ),
  haproxy:
    "frontend backend listen defaults global acl A1 A2 src -f -m ip hdr_ip(x-forwarded-for) http-request tcp-request connection content allow deny reject accept if unless ! or { } path_beg".split(
      " ",
    ),
  "aws-sg": [
    ...JSON_WORDS,
    ...'"SecurityGroups" "IpPermissions" "IpPermissionsEgress" "IpRanges" "Ipv6Ranges" "CidrIp" "CidrIpv6" "FromPort" "ToPort" "IpProtocol" "PrefixListIds" "PrefixListId" "UserIdGroupPairs" "GroupId"'.split(
      " ",
    ),
  ],
  "aws-prefix-list": [...JSON_WORDS, ...'"Entries" "Cidr" "Description" "PrefixListId"'.split(" ")],
  "azure-nsg": [
    ...JSON_WORDS,
    ...'"securityRules" "defaultSecurityRules" "properties" "access" "Allow" "Deny" "direction" "Inbound" "Outbound" "priority" "protocol" "sourceAddressPrefix" "sourceAddressPrefixes" "destinationPortRange" "destinationPortRanges" "Internet" "VirtualNetwork"'.split(
      " ",
    ),
  ],
  gcp: [
    ...JSON_WORDS,
    ...'"allowed" "denied" "IPProtocol" "ports" "direction" "INGRESS" "EGRESS" "priority" "sourceRanges" "destinationRanges" "disabled" "sourceTags"'.split(
      " ",
    ),
  ],
};

describe("linux, web-server and cloud parsers: fuzz and hang guard", () => {
  for (const p of linuxParsers) fuzzParser(p, LINUX_VOCABULARY[p.id] ?? []);
});

// ---- plain and CSV lists: the fallback readers get any paste at all ----
import { plainParser } from "../plain";
import { csvParser } from "../csv";

describe("plain and CSV readers: fuzz and hang guard", () => {
  fuzzParser(
    plainParser,
    "# // ; , - / * x 10.0.0.0/8 10.0.0.1-10.0.0.9 13.232.152.* 255.255.255.0 ::ffff:1.2.3.4 fe80::1%eth0 0x7f.1 010.1.1.1 example.com".split(
      " ",
    ),
  );
  fuzzParser(
    csvParser,
    'name ip address cidr comment "" "a,b" , ; \t # "x""y" 10.0.0.0/8 1.2.3.4-1.2.3.9 IP Address'.split(" "),
  );
});

// ---- host and SMB firewalls (issue 17) ----
import { hostParsers } from "./hosts";
import { HOST_VOCABULARY } from "./hosts.samples";

describe("host and SMB firewall parsers: fuzz and hang guard", () => {
  // The yaml package parses about 0.3-0.5 MB/s on this machine (250 KB for the 10k-line sample): a wider guard.
  for (const p of hostParsers) fuzzParser(p, HOST_VOCABULARY[p.id] ?? []);
});

test("every format lib/parse reads is fuzzed here", () => {
  const fuzzed = [plainParser, csvParser, ...networkParsers, ...linuxParsers, ...hostParsers].map((p) => p.id).sort();
  assert.deepEqual(fuzzed, [...formatIds].sort());
});
