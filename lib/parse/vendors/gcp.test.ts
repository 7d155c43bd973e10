import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { gcpParser } from "./gcp";
import { assertDetected, rows } from "./linux.testkit";
import { pathRows, verdict } from "./hosts.testkit";

const SAMPLE_0 = `[
  {
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": [
          "443",
          "8000-8080"
        ]
      }
    ],
    "creationTimestamp": "2026-01-12T09:21:44.123-08:00",
    "description": "Freshworks webhooks",
    "direction": "INGRESS",
    "disabled": false,
    "id": "1234567890123456789",
    "kind": "compute#firewall",
    "name": "allow-freshworks",
    "network": "https://www.googleapis.com/compute/v1/projects/acme/global/networks/default",
    "priority": 1000,
    "selfLink": "https://www.googleapis.com/compute/v1/projects/acme/global/firewalls/allow-freshworks",
    "sourceRanges": [
      "18.208.240.77/32",
      "13.232.152.0/24"
    ],
    "targetTags": [
      "webhooks"
    ]
  },
  {
    "denied": [
      {
        "IPProtocol": "all"
      }
    ],
    "direction": "INGRESS",
    "disabled": false,
    "kind": "compute#firewall",
    "name": "deny-one-host",
    "priority": 1000,
    "sourceRanges": [
      "13.232.152.9/32"
    ]
  },
  {
    "allowed": [
      {
        "IPProtocol": "tcp",
        "ports": ["22"]
      },
      {
        "IPProtocol": "icmp"
      }
    ],
    "direction": "INGRESS",
    "kind": "compute#firewall",
    "name": "allow-ssh-iap",
    "priority": 500,
    "sourceRanges": ["35.235.240.0/20"]
  },
  {
    "allowed": [{ "IPProtocol": "all" }],
    "direction": "EGRESS",
    "kind": "compute#firewall",
    "name": "allow-egress",
    "priority": 65534,
    "destinationRanges": ["0.0.0.0/0"]
  }
]
`;

const SAMPLE_1 = `[
  {
    "allowed": [{ "IPProtocol": "tcp", "ports": ["443"] }],
    "direction": "INGRESS",
    "disabled": true,
    "kind": "compute#firewall",
    "name": "old-vendor",
    "priority": 900,
    "sourceRanges": ["198.51.100.0/24"]
  },
  {
    "allowed": [{ "IPProtocol": "tcp", "ports": ["9000"] }],
    "direction": "INGRESS",
    "kind": "compute#firewall",
    "name": "from-tagged-vms",
    "priority": 1000,
    "sourceTags": ["backend"]
  },
  {
    "allowed": [{ "IPProtocol": "6", "ports": ["443", "99999"] }],
    "direction": "INGRESS",
    "kind": "compute#firewall",
    "name": "v6-partners",
    "priority": 1000,
    "sourceRanges": ["2406:da00:ff00::/48", "not-an-ip"]
  }
]
`;

describe("gcp parser", () => {
  test("firewall-rules list: priority order, deny wins ties, several protocols, egress", () => {
    assert.deepEqual(rows(gcpParser.parse(SAMPLE_0)), {
      entries: [
        [59, "35.235.240.0/20", "cidr", "allow", "in", "tcp", "22", "", 0, "35.235.240.0/20", "allow-ssh-iap"],
        [59, "35.235.240.0/20", "cidr", "allow", "in", "icmp", "", "", 0, "35.235.240.0/20", "allow-ssh-iap"],
        [42, "13.232.152.9", "cidr", "deny", "in", "", "", "", 0, "13.232.152.9/32", "deny-one-host"],
        [
          23,
          "18.208.240.77",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8000-8080",
          "",
          0,
          "18.208.240.77/32",
          "allow-freshworks",
        ],
        [
          24,
          "13.232.152.0/24",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8000-8080",
          "",
          0,
          "13.232.152.0/24",
          "allow-freshworks",
        ],
        [67, "0.0.0.0/0", "cidr", "allow", "out", "", "", "", 0, "0.0.0.0/0", "allow-egress"],
      ],
      findings: [
        [
          2,
          "note",
          'Rule "allow-freshworks" applies only to VMs with the network tag webhooks: it is read as applying to the service\'s VM. If that VM does not have it, this rule does not let the connection in.',
        ],
      ],
      notes: [],
    });
  });

  test("disabled rules, tag sources, bad port and bad range", () => {
    assert.deepEqual(rows(gcpParser.parse(SAMPLE_1)), {
      entries: [
        [9, "198.51.100.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "198.51.100.0/24", "old-vendor"],
        [25, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "443", "", 0, "2406:da00:ff00::/48", "v6-partners"],
      ],
      findings: [
        [
          11,
          "undefined-reference",
          'Rule "from-tagged-vms" also matches source tags or service accounts: they are not resolved (they name VMs, not published addresses).',
        ],
        [20, "invalid", '"99999" is not a port or port range.'],
        [25, "invalid", '"not-an-ip" is not an address, prefix or range: unexpected character "n".'],
      ],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1]) assertDetected(s, "gcp");
  });

  test("one rule object (gcloud describe) is read like a list of one", () => {
    const text =
      '{\n  "name": "one",\n  "priority": 100,\n  "sourceRanges": ["52.5.21.0/24"],\n  "allowed": [{ "IPProtocol": "tcp", "ports": ["443"] }]\n}\n';
    assert.deepEqual(rows(gcpParser.parse(text)).entries, [
      [4, "52.5.21.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "52.5.21.0/24", "one"],
    ]);
  });

  // An ingress rule with no sourceRanges, sourceTags or sourceServiceAccounts has the source 0.0.0.0/0 (the API sets it:
  // https://cloud.google.com/firewall/docs/firewalls "Sources for ingress rules"). This deny was read as matching
  // nothing, so every address it blocks was reported covered.
  test("an ingress rule without a source matches 0.0.0.0/0", () => {
    const text = `[
  {
    "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ],
    "direction": "INGRESS",
    "name": "allow-fw",
    "priority": 1000,
    "sourceRanges": [ "52.1.37.96/32" ]
  },
  {
    "denied": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ],
    "direction": "INGRESS",
    "name": "deny-443",
    "priority": 900
  }
]`;
    const out = gcpParser.parse(text);
    assert.deepEqual(pathRows(out).entries, [
      [9, "0.0.0.0/0", "any", "deny", "in", "tcp", "443", "", 0, "0.0.0.0/0 (no sourceRanges)", "deny-443", 0, ""],
      [7, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.37.96/32", "allow-fw", 0, ""],
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 9 in the list.");
  });

  // "Each firewall rule applies to one VPC network" (https://cloud.google.com/firewall/docs/firewalls): a project-wide
  // listing holds several networks, and only the service VM's network decides. They were read as one rule set, so an
  // allow in another network counted as coverage.
  test("rules of several networks: one network is on the path (--ingress, else the one with most ingress rules)", () => {
    const net = (n: string) => `"network": "https://www.googleapis.com/compute/v1/projects/acme/global/networks/${n}"`;
    const text = `[
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "a", "priority": 1000, ${net("prod")},
    "sourceRanges": [ "52.1.37.96/32" ] },
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "22" ] } ], "name": "b", "priority": 1000, ${net("prod")},
    "sourceRanges": [ "35.235.240.0/20" ] },
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "c", "priority": 1000, ${net("lab")},
    "sourceRanges": [ "52.1.32.88/32" ] }
]`;
    const out = gcpParser.parse(text);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["VPC network prod", true],
        ["VPC network lab", false],
      ],
    );
    assert.equal(
      out.path?.assumption,
      "Rules of 2 VPC networks: the service's VM is read as being in prod (the one with the most ingress rules). Override with --ingress NETWORK.",
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assert.match(verdict(out, "52.1.32.88"), /blocked/);
    const lab = gcpParser.parse(text, { ingress: "lab" });
    assert.equal(verdict(lab, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 7.");
    assert.match(verdict(lab, "52.1.37.96"), /blocked/);
  });

  // A rule with target tags or target service accounts applies only to those VMs of the network
  // (https://cloud.google.com/firewall/docs/firewalls#rule_assignment). Which tags the service's VM has is not in a
  // rules listing: the rule is read as applying, and a note says so, on the rule's line.
  test("a rule limited to target tags or service accounts is read as applying, with a note that says to which VMs", () => {
    const text = `[
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "allow-fw", "priority": 1000,
    "sourceRanges": [ "52.1.37.96/32" ], "targetTags": [ "https-server" ] },
  { "denied": [ { "IPProtocol": "all" } ], "name": "deny-batch", "priority": 900,
    "sourceRanges": [ "52.1.32.88/32" ], "targetServiceAccounts": [ "batch@acme.iam.gserviceaccount.com", "b2@acme.iam.gserviceaccount.com" ] },
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "all-vms", "sourceRanges": [ "52.1.32.88/32" ] },
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "out", "direction": "EGRESS",
    "destinationRanges": [ "52.1.32.88/32" ], "targetTags": [ "https-server" ] }
]`;
    const out = gcpParser.parse(text);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "note",
          'Rule "allow-fw" applies only to VMs with the network tag https-server: it is read as applying to the service\'s VM. If that VM does not have it, this rule does not let the connection in.',
        ],
        [
          4,
          "note",
          'Rule "deny-batch" applies only to VMs with one of the service accounts batch@acme.iam.gserviceaccount.com, b2@acme.iam.gserviceaccount.com: it is read as applying to the service\'s VM. If that VM does not have any of them, this rule does not block it.',
        ],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 5 in the list.");
  });

  // A sourceRanges that is not a list (hand-edited JSON) was read as no range at all, with no finding.
  test("a sourceRanges that is not a list is a finding", () => {
    const text = `[
  { "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ], "name": "a", "sourceRanges": "52.1.37.96/32" }
]`;
    assert.deepEqual(rows(gcpParser.parse(text)), {
      entries: [],
      findings: [[2, "invalid", "sourceRanges is not a list: not read."]],
      notes: [],
    });
  });
  // The REST API's firewalls.list answer is a FirewallList: "kind": "compute#firewallList" and the rules in "items"
  // (https://cloud.google.com/compute/docs/reference/rest/v1/firewalls/list). It was read as one rule with neither
  // "allowed" nor "denied", so every rule was dropped and a deny of the list decided nothing.
  test("a REST FirewallList (rules under items) is read as its rules; a nextPageToken gets a note", () => {
    const text = `{
  "kind": "compute#firewallList",
  "id": "projects/acme/global/firewalls",
  "items": [
    {
      "kind": "compute#firewall",
      "name": "allow-fw",
      "priority": 1000,
      "sourceRanges": [ "52.1.37.96/32", "52.1.32.88/32" ],
      "allowed": [ { "IPProtocol": "tcp", "ports": [ "443" ] } ],
      "direction": "INGRESS",
      "disabled": false
    },
    {
      "kind": "compute#firewall",
      "name": "deny-one",
      "priority": 900,
      "sourceRanges": [ "52.1.32.88/32" ],
      "denied": [ { "IPProtocol": "all" } ],
      "direction": "INGRESS",
      "disabled": false
    }
  ],
  "nextPageToken": "CkMI",
  "selfLink": "https://www.googleapis.com/compute/v1/projects/acme/global/firewalls"
}`;
    assertDetected(text, "gcp");
    const out = gcpParser.parse(text);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          24,
          "note",
          "The list has a nextPageToken: it is one page of the network's rules, and the rules of the next pages are not in the paste.",
        ],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 9.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 18 in the list.");
  });
});
