import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { awsSecurityGroupParser } from "./aws";
import { azureNsgParser } from "./azure";
import { gcpParser } from "./gcp";
import { parseWith, pathRows, statuses, traceRows } from "./path.testkit";

const IPS = ["52.1.37.96", "52.1.32.88", "3.74.148.8", "18.208.240.77"];

const rule = (
  name: string,
  priority: number,
  access: string,
  source: string,
  port: string,
  extra: Record<string, unknown> = {},
) => ({
  name,
  properties: {
    access,
    direction: "Inbound",
    priority,
    protocol: "Tcp",
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: port,
    ...extra,
  },
});

// Azure "Network security groups: how network security groups filter network traffic": inbound traffic is evaluated
// by the subnet's NSG and then the NIC's, each by priority, and must be allowed by both; DenyAllInBound at 65500:
// https://learn.microsoft.com/en-us/azure/virtual-network/network-security-group-how-it-works
const AZURE = JSON.stringify(
  [
    {
      name: "subnet-nsg",
      properties: {
        securityRules: [
          rule("allow-us", 100, "Allow", "52.1.37.0/24", "443"),
          rule("allow-us2", 110, "Allow", "52.1.32.88", "443"),
          rule("allow-eu", 120, "Allow", "3.74.148.8", "443"),
          rule("from-port", 130, "Allow", "18.208.240.77", "443", { sourcePortRange: "1024" }),
        ],
      },
    },
    {
      name: "nic-nsg",
      properties: {
        securityRules: [
          rule("deny-eu", 100, "Deny", "3.74.148.8", "*"),
          rule("allow-all-https", 200, "Allow", "Internet", "443"),
        ],
      },
    },
  ],
  null,
  2,
);

describe("Azure: the subnet's and the NIC's NSGs must both allow; a source port is never met", () => {
  const p = parseWith(azureNsgParser, AZURE);
  test("two NSGs on the path; 3.74.148.8 passes the subnet NSG but the NIC NSG denies it", () => {
    assert.deepEqual(pathRows(p).contexts, [
      ["NSG subnet-nsg", true, "deny"],
      ["NSG nic-nsg", true, "deny"],
    ]);
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "18.208.240.77": "missing",
    });
    assert.deepEqual(
      traceRows(p, "18.208.240.77").contexts[0]!.steps.map((s) => s[3]),
      ["only source port 1024 (a client's source port is ephemeral)"],
    );
  });
});

// GCP VPC firewall rules: priority order, deny wins a tie, disabled rules are not enforced, implied deny ingress:
// https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules
const GCP = JSON.stringify(
  [
    {
      name: "allow-fw",
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: ["52.1.37.96/32", "3.74.148.8/32"],
      allowed: [{ IPProtocol: "tcp", ports: ["443", "8000-8080"] }],
    },
    {
      name: "deny-eu",
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: ["3.74.148.8/32"],
      denied: [{ IPProtocol: "all" }],
    },
    {
      name: "old",
      direction: "INGRESS",
      priority: 900,
      disabled: true,
      sourceRanges: ["52.1.32.88/32"],
      allowed: [{ IPProtocol: "tcp" }],
    },
    {
      name: "egress",
      direction: "EGRESS",
      priority: 100,
      destinationRanges: ["18.208.240.77/32"],
      allowed: [{ IPProtocol: "all" }],
    },
  ],
  null,
  2,
);

describe("GCP: deny wins a priority tie, disabled rules never match, egress ignored", () => {
  test("verdicts", () => {
    const p = parseWith(gcpParser, GCP);
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
      "18.208.240.77": "missing",
    });
    assert.deepEqual(
      traceRows(p, "52.1.32.88").contexts[0]!.steps.map((s) => s[3]),
      ["disabled"],
    );
  });
});

// AWS "Security group rules": -1 means every protocol and port; a referenced group or prefix list is not an address:
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
const AWS = JSON.stringify(
  {
    SecurityGroups: [
      {
        GroupId: "sg-1",
        IpPermissions: [
          { IpProtocol: "-1", IpRanges: [{ CidrIp: "52.1.37.96/32" }] },
          { IpProtocol: "tcp", FromPort: 8000, ToPort: 9000, IpRanges: [{ CidrIp: "52.1.32.88/32" }] },
          {
            IpProtocol: "tcp",
            FromPort: 443,
            ToPort: 443,
            PrefixListIds: [{ PrefixListId: "pl-123" }],
            UserIdGroupPairs: [{ GroupId: "sg-2" }],
          },
        ],
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "3.74.148.8/32" }] }],
      },
    ],
  },
  null,
  2,
);

describe("AWS: -1 protocol, port ranges, unresolved references, egress ignored", () => {
  test("verdicts and findings", () => {
    const p = parseWith(awsSecurityGroupParser, AWS);
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
      "18.208.240.77": "missing",
    });
    assert.equal(statuses(p, IPS, 8443)["52.1.32.88"], "covered");
    assert.deepEqual(
      p.findings.map((f) => f.kind),
      ["undefined-reference", "undefined-reference"],
    );
  });
});
