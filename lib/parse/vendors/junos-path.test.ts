import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { junosParser } from "./junos";
import { lineVerdicts, parseWith, pathRows, statuses, traceRows } from "./path.testkit";
import { verdict } from "./hosts.testkit";

const IPS = [
  "52.1.37.96",
  "52.1.32.88",
  "3.74.148.8",
  "3.74.148.9",
  "18.208.240.77",
  "13.232.152.211",
  "44.206.73.232",
];

// Junos OS "Firewall Filter Match Conditions for IPv4 Traffic" (tcp-established matches packets with ACK or RST,
// tcp-initial the SYN; "except" on a prefix), "How Standard Firewall Filters Evaluate Packets" (terms in order; a
// term with no terminating action accepts; an unmatched packet is discarded), "Applying filters to lo0" (they protect
// the Routing Engine), and "Security Policies Overview" (zone-pair policies, then global policies, then the default):
// https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-stateless-match-conditions-ipv4.html
// https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-stateless-evaluate-packets.html
// https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/security-policy-configuration.html
const SRX = `set system host-name srx-edge
set interfaces ge-0/0/0 description "Uplink to ISP"
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/30
set interfaces ge-0/0/0 unit 0 family inet filter input EDGE-IN
set interfaces ge-0/0/1 unit 0 family inet filter output LAN-OUT
set interfaces lo0 unit 0 family inet filter input PROTECT-RE
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set policy-options prefix-list FRESHWORKS 52.1.37.0/24
set policy-options prefix-list FRESHWORKS 3.74.148.8/30
set firewall family inet filter EDGE-IN term replies from tcp-established
set firewall family inet filter EDGE-IN term replies then accept
set firewall family inet filter EDGE-IN term vendors from source-prefix-list FRESHWORKS
set firewall family inet filter EDGE-IN term vendors from source-address 3.74.148.9/32 except
set firewall family inet filter EDGE-IN term vendors from source-address 0.0.0.0/0 except
set firewall family inet filter EDGE-IN term vendors from protocol tcp
set firewall family inet filter EDGE-IN term vendors from destination-port 443
set firewall family inet filter EDGE-IN term vendors then count vendor-hits
set firewall family inet filter EDGE-IN term others from source-address 18.208.240.77/32
set firewall family inet filter EDGE-IN term others from source-address 52.1.32.88/32
set firewall family inet filter EDGE-IN term others from source-address 44.206.73.232/32
set firewall family inet filter EDGE-IN term others then accept
set firewall family inet filter EDGE-IN term last then discard
set firewall family inet filter LAN-OUT term all then accept
set firewall family inet filter PROTECT-RE term ssh from source-address 13.232.152.211/32
set firewall family inet filter PROTECT-RE term ssh then accept
set security address-book global address FW-US 52.1.37.96/32
set security address-book global address FW-EU 3.74.148.8/30
set security address-book global address FW-US2 52.1.32.88/32
set security address-book global address FW-US3 18.208.240.77/32
set security policies from-zone untrust to-zone trust policy webhooks match source-address [ FW-US FW-EU FW-US2 ]
set security policies from-zone untrust to-zone trust policy webhooks match destination-address any
set security policies from-zone untrust to-zone trust policy webhooks match application junos-https
set security policies from-zone untrust to-zone trust policy webhooks then permit
set security policies from-zone trust to-zone untrust policy outbound match source-address any
set security policies from-zone trust to-zone untrust policy outbound match destination-address any
set security policies from-zone trust to-zone untrust policy outbound match application any
set security policies from-zone trust to-zone untrust policy outbound then permit
set security policies global policy late match source-address FW-US3
set security policies global policy late match destination-address any
set security policies global policy late match application any
set security policies global policy late then permit
set security policies default-policy deny-all
`;

describe("Junos SRX: the input filter of the Internet-facing interface, then zone policies, global policies, the default", () => {
  const parsed = parseWith(junosParser, SRX);

  test("path: EDGE-IN on ge-0/0/0.0 (zone untrust) and untrust → trust policies on the path; lo0 and output filters off it", () => {
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["filter EDGE-IN input on ge-0/0/0.0", true, "deny"],
        ["filter LAN-OUT output on ge-0/0/1.0", false, "deny"],
        ["filter PROTECT-RE input on lo0.0", false, "deny"],
        ["security policies from untrust to trust, then global", true, "deny"],
        ["security policies from other zones", false, "deny"],
      ],
      assumption:
        "Internet-facing zone: untrust (its name); interface ge-0/0/0.0 (in zone untrust), whose input filter is read; the service is behind the device. Override with --ingress ZONE|IFACE or --path.",
    });
  });

  test("verdicts: tcp-established matches no SYN, a count-only term accepts, except carves 3.74.148.9 out, both contexts must pass", () => {
    assert.deepEqual(statuses(parsed, IPS), {
      "52.1.37.96": "covered",
      // Passes the filter by term others, and the webhooks policy.
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      // Not in the filter's vendors term (except), not in others: discarded by term last.
      "3.74.148.9": "missing",
      // The global policy permits it after the zone policies.
      "18.208.240.77": "covered",
      // Only the lo0 filter (the device itself) mentions it.
      "13.232.152.211": "missing",
      // The filter accepts it, but no policy does: the default policy denies.
      "44.206.73.232": "missing",
    });
    const t = traceRows(parsed, "52.1.37.96");
    assert.equal(t.summary, "52.1.37.96 → TCP 443: allowed by line 13, then line 27.");
    assert.deepEqual(t.contexts[0]!.steps, [
      [11, false, false, "tcp-established: only packets with ACK or RST set, never a new connection's SYN"],
      [13, true, true, "address, TCP and port 443 match"],
    ]);
    assert.equal(
      traceRows(parsed, "44.206.73.232").summary,
      "44.206.73.232 → TCP 443: blocked — no rule of security policies from untrust to trust, then global (line 43) matches, and its default is deny.",
    );
    const rows = lineVerdicts(parsed, IPS);
    assert.deepEqual(
      rows.find(([line]) => line === 21),
      [
        21,
        "unrelated",
        "Allows 44.206.73.232/32 (US), but security policies from untrust to trust, then global (line 43) blocks it: every context on the path must let it through.",
      ],
    );
  });

  // The input filter of the Internet-facing interface evaluates every packet received on it, those for the device
  // itself too; the lo0 filter only those ("Guidelines for Applying Standard Firewall Filters", Table 1:
  // https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-stateless-guidelines-for-applying.html).
  // EDGE-IN was off the path with --path input, so its discard of 3.74.148.9 (excepted from the vendors term, then
  // "last then discard") was never met.
  test("--path input: the ingress interface's input filter, then the lo0 filter, guard the device itself", () => {
    const re = parseWith(junosParser, SRX, { path: "input" });
    assert.deepEqual(
      pathRows(re).contexts.filter(([, on]) => on),
      [
        ["filter EDGE-IN input on ge-0/0/0.0", true, "deny"],
        ["filter PROTECT-RE input on lo0.0", true, "deny"],
        ["host-inbound-traffic of zone untrust", true, "deny"],
      ],
    );
    assert.equal(statuses(re, IPS)["52.1.37.96"], "missing");
    const ssh = parseWith(
      junosParser,
      SRX.replace("term ssh from source-address 13.232.152.211/32", "term ssh from source-address 3.74.148.9/32"),
      { path: "input" },
    );
    assert.equal(
      verdict(ssh, "3.74.148.9"),
      "3.74.148.9 → TCP 443: blocked by line 23 in filter EDGE-IN input on ge-0/0/0.0.",
    );
  });

  // A connection to the SRX itself is let in by the host-inbound-traffic system-services of its interface, else of its
  // zone ("host-inbound-traffic: Control the type of traffic that can reach the device from interfaces bound to the
  // zone", https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/host-inbound-traffic.html),
  // not by the policies from untrust to trust, which were read as its path (a permit there counted, and a zone
  // without https let it in).
  test("--path input: host-inbound-traffic system-services decide, not the policies to another zone", () => {
    const open = `set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/30
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set security address-book global address FW-US 52.1.37.96/32
set security policies from-zone untrust to-zone trust policy webhooks match source-address FW-US
set security policies from-zone untrust to-zone trust policy webhooks match destination-address any
set security policies from-zone untrust to-zone trust policy webhooks match application junos-https
set security policies from-zone untrust to-zone trust policy webhooks then permit
`;
    const at = (extra: string) => verdict(parseWith(junosParser, open + extra, { path: "input" }), "52.1.37.96");
    assert.equal(
      at(""),
      "52.1.37.96 → TCP 443: blocked — no rule of host-inbound-traffic of zone untrust matches, and its default is deny.",
    );
    assert.equal(
      at("set security zones security-zone untrust host-inbound-traffic system-services ssh\n"),
      "52.1.37.96 → TCP 443: blocked — no rule of host-inbound-traffic of zone untrust (line 9) matches, and its default is deny.",
    );
    assert.match(
      at("set security zones security-zone untrust host-inbound-traffic system-services https\n"),
      /: allowed/,
    );
    assert.match(
      at(
        "set security zones security-zone untrust host-inbound-traffic system-services all\nset security zones security-zone untrust host-inbound-traffic system-services https except\n",
      ),
      /: blocked/,
    );
    // The interface's own system-services replace the zone's.
    assert.match(
      at(
        "set security zones security-zone untrust host-inbound-traffic system-services all\nset security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ping\n",
      ),
      /blocked — no rule of host-inbound-traffic of interface ge-0\/0\/0.0 \(zone untrust\) \(line 10\)/,
    );
    const re = parseWith(junosParser, open, { path: "input" });
    assert.deepEqual(
      pathRows(re).contexts.map(([name, on]) => [name, on]),
      [
        ["host-inbound-traffic of zone untrust", true],
        ["security policies from untrust to trust, then global", false],
      ],
    );
  });
});
