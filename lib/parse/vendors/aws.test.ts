import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { awsSecurityGroupParser } from "./aws";
import { assertDetected, rows } from "./linux.testkit";
import { verdict } from "./hosts.testkit";

const SAMPLE_0 = `{
    "SecurityGroups": [
        {
            "Description": "webhook receivers",
            "GroupName": "webhooks",
            "IpPermissions": [
                {
                    "FromPort": 443,
                    "IpProtocol": "tcp",
                    "IpRanges": [
                        {
                            "CidrIp": "18.208.240.77/32",
                            "Description": "Freshworks US"
                        },
                        {
                            "CidrIp": "13.232.152.0/24"
                        }
                    ],
                    "Ipv6Ranges": [
                        {
                            "CidrIpv6": "2406:da00:ff00::/48"
                        }
                    ],
                    "PrefixListIds": [
                        {
                            "PrefixListId": "pl-0123456789abcdef0"
                        }
                    ],
                    "ToPort": 443,
                    "UserIdGroupPairs": []
                },
                {
                    "IpProtocol": "-1",
                    "IpRanges": [],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": [
                        {
                            "GroupId": "sg-0aa11bb22cc33dd44",
                            "UserId": "123456789012"
                        }
                    ]
                },
                {
                    "FromPort": 8000,
                    "IpProtocol": "tcp",
                    "IpRanges": [
                        {
                            "CidrIp": "52.5.21.7/33"
                        }
                    ],
                    "ToPort": 8080
                }
            ],
            "OwnerId": "123456789012",
            "GroupId": "sg-0123456789abcdef0",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0"
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "VpcId": "vpc-0123456789abcdef0"
        }
    ]
}
`;

const SAMPLE_1 = `{
    "SecurityGroups": [
        {
            "GroupName": "admin",
            "IpPermissions": [
                {
                    "IpProtocol": "icmp",
                    "FromPort": 8, "ToPort": -1,
                    "IpRanges": [{ "CidrIp": "10.0.0.0/8" }]
                },
                { "IpProtocol": "udp", "FromPort": 0, "ToPort": 65535, "IpRanges": [{ "CidrIp": "10.1.0.0/16" }] },
                { "IpProtocol": "6", "FromPort": 22, "ToPort": 22, "IpRanges": [{ "CidrIp": "203.0.113.5/32" }] }
            ],
            "IpPermissionsEgress": []
        }
    ]
}
`;

describe("aws-sg parser", () => {
  test("describe-security-groups: ranges, IPv6, prefix list and group references, egress, a bad prefix", () => {
    assert.deepEqual(rows(awsSecurityGroupParser.parse(SAMPLE_0)), {
      entries: [
        [12, "18.208.240.77", "cidr", "allow", "in", "tcp", "443", "webhooks", 0, "18.208.240.77/32", "Freshworks US"],
        [16, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "443", "webhooks", 0, "13.232.152.0/24", ""],
        [21, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "443", "webhooks", 0, "2406:da00:ff00::/48", ""],
        [62, "0.0.0.0/0", "cidr", "allow", "out", "", "", "webhooks", 0, "0.0.0.0/0", ""],
      ],
      findings: [
        [
          26,
          "undefined-reference",
          'Prefix list "pl-0123456789abcdef0" is not in this paste (paste its entries to check them).',
        ],
        [
          39,
          "undefined-reference",
          'Security group "sg-0aa11bb22cc33dd44" is referenced but not resolved: its members are AWS resources, not published addresses, so it allows none of them.',
        ],
        [49, "invalid", '"52.5.21.7/33" is not an address, prefix or range: prefix length is greater than 32.'],
      ],
      notes: [],
    });
  });

  test("icmp, whole-range udp and a numeric protocol", () => {
    assert.deepEqual(rows(awsSecurityGroupParser.parse(SAMPLE_1)), {
      entries: [
        [9, "10.0.0.0/8", "cidr", "allow", "in", "icmp", "", "admin", 0, "10.0.0.0/8", ""],
        [11, "10.1.0.0/16", "cidr", "allow", "in", "udp", "", "admin", 0, "10.1.0.0/16", ""],
        [12, "203.0.113.5", "cidr", "allow", "in", "tcp", "22", "admin", 0, "203.0.113.5/32", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1]) assertDetected(s, "aws-sg");
  });

  test("invalid JSON is one finding at the line and column of the error", () => {
    const text = '{\n  "SecurityGroups": [\n    { "IpPermissions": [ }\n  ]\n}\n';
    // The engine words the error (V8 and Firefox differ); the place is ours.
    let engine = "";
    try {
      JSON.parse(text);
    } catch (e) {
      engine = (e as Error).message.replace(/\s+/g, " ");
    }
    assert.deepEqual(rows(awsSecurityGroupParser.parse(text)), {
      entries: [],
      findings: [[3, "invalid", `Not valid JSON (line 3, column 26): ${engine}`]],
      notes: [],
    });
  });

  test("an empty paste gives nothing", () => {
    assert.deepEqual(rows(awsSecurityGroupParser.parse("  \n")), { entries: [], findings: [], notes: [] });
  });

  // `aws ec2 describe-security-group-rules` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html):
  // one rule per item, IsEgress for the direction. It was not recognised at all ("Nothing recognised").
  test("describe-security-group-rules: one rule per item, IsEgress, prefix list and group references", () => {
    const text = `{
    "SecurityGroupRules": [
        {
            "SecurityGroupRuleId": "sgr-0b15794cdb2a2b6d1",
            "GroupId": "sg-0123",
            "GroupOwnerId": "123456789012",
            "IsEgress": false,
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "CidrIpv4": "52.1.37.96/32",
            "Description": "Freshworks US"
        },
        {
            "SecurityGroupRuleId": "sgr-2",
            "GroupId": "sg-0123",
            "IsEgress": false,
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "PrefixListId": "pl-0abc"
        },
        {
            "SecurityGroupRuleId": "sgr-3",
            "GroupId": "sg-0123",
            "IsEgress": false,
            "IpProtocol": "-1",
            "FromPort": -1,
            "ToPort": -1,
            "ReferencedGroupInfo": { "GroupId": "sg-0456", "UserId": "123456789012" }
        },
        {
            "SecurityGroupRuleId": "sgr-4",
            "GroupId": "sg-0123",
            "IsEgress": true,
            "IpProtocol": "-1",
            "FromPort": -1,
            "ToPort": -1,
            "CidrIpv6": "::/0"
        },
        {
            "SecurityGroupRuleId": "sgr-5",
            "GroupId": "sg-0123",
            "IsEgress": false,
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "CidrIpv4": 52
        }
    ]
}`;
    assert.deepEqual(rows(awsSecurityGroupParser.parse(text)), {
      entries: [
        [11, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "sg-0123", 0, "52.1.37.96/32", "Freshworks US"],
        [39, "::/0", "cidr", "allow", "out", "", "", "sg-0123", 0, "::/0", ""],
      ],
      findings: [
        [21, "undefined-reference", 'Prefix list "pl-0abc" is not in this paste (paste its entries to check them).'],
        [
          30,
          "undefined-reference",
          'Security group "sg-0456" is referenced but not resolved: its members are AWS resources, not published addresses, so it allows none of them.',
        ],
        [48, "invalid", "The address is not a string: not read."],
      ],
      notes: [],
    });
    assertDetected(text, "aws-sg");
  });

  // An instance's security groups add up (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html),
  // but describe-security-groups of a VPC also lists groups of other resources: a bastion's 0.0.0.0/0 counted as
  // covering the webhook receiver. --ingress names the attached groups (GroupName or GroupId).
  test("several groups: all read as attached unless --ingress names the attached ones", () => {
    const text = `{
  "SecurityGroups": [
    { "GroupName": "webhooks", "GroupId": "sg-1",
      "IpPermissions": [ { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [ { "CidrIp": "52.1.37.96/32" } ] } ] },
    { "GroupName": "bastion", "GroupId": "sg-2",
      "IpPermissions": [ { "IpProtocol": "-1", "IpRanges": [ { "CidrIp": "0.0.0.0/0" } ] } ] }
  ]
}`;
    const all = awsSecurityGroupParser.parse(text);
    assert.equal(
      all.path?.assumption,
      "2 security groups: all read as attached to the service (an instance's groups add up). Name the attached ones with --ingress GROUP[,GROUP].",
    );
    assert.equal(verdict(all, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 6.");
    const one = awsSecurityGroupParser.parse(text, { ingress: "sg-1" });
    assert.deepEqual(
      one.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["security groups webhooks", true],
        ["the other security groups", false],
      ],
    );
    assert.equal(verdict(one, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 4.");
    assert.match(verdict(one, "52.1.32.88"), /blocked/);
  });

  // AWS Tools for PowerShell (Get-EC2SecurityGroup | ConvertTo-Json): the SDK's IpPermission has Ipv4Ranges objects and
  // IpRanges as bare strings (https://docs.aws.amazon.com/sdkfornet/v3/apidocs/items/EC2/TIpPermission.html). Both
  // were dropped silently: every address missing, no finding.
  test("PowerShell output: Ipv4Ranges objects, IpRanges strings when there is no Ipv4Ranges", () => {
    const text = `[
  {
    "GroupId": "sg-0123",
    "GroupName": "webhooks",
    "IpPermissions": [
      {
        "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443,
        "IpRanges": [ "52.1.37.96/32" ],
        "Ipv4Ranges": [ { "CidrIp": "52.1.37.96/32", "Description": "fw" } ]
      },
      { "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443, "IpRanges": [ "52.1.32.88/32" ] }
    ],
    "IpPermissionsEgress": []
  }
]`;
    assert.deepEqual(rows(awsSecurityGroupParser.parse(text)), {
      entries: [
        [9, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "webhooks", 0, "52.1.37.96/32", "fw"],
        [11, "52.1.32.88", "cidr", "allow", "in", "tcp", "443", "webhooks", 0, "52.1.32.88/32", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  // ConvertTo-Json writes what lies deeper than -Depth (2 by default) as a type name
  // (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json, "-Depth"): every
  // range was then a string, read as nothing at all, with no finding.
  test("a list ConvertTo-Json cut off at its depth is a finding that says how to export", () => {
    const text = `[
  {
    "GroupName": "webhooks",
    "IpPermissions": [
      {
        "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443,
        "Ipv4Ranges": "System.Collections.Generic.List\`1[Amazon.EC2.Model.IpRange]"
      }
    ]
  }
]`;
    assert.deepEqual(rows(awsSecurityGroupParser.parse(text)).findings, [
      [
        7,
        "invalid",
        'Ipv4Ranges is "System.Collections.Generic.List`1[Amazon.EC2.Model.IpRange]": ConvertTo-Json cut it off at its depth limit; export again with ConvertTo-Json -Depth 10.',
      ],
    ]);
  });

  // describe-network-acls (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html): entries by
  // RuleNumber, lowest first, first match; the * rule (32767) denies the rest; Egress entries are outbound
  // (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). It was read as a plain list: nothing recognised.
  test("describe-network-acls: by rule number, first match, deny before allow; several ACLs and --ingress", () => {
    const acl = (id: string, name: string, first: number) => `        {
            "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "${id}", "SubnetId": "subnet-1"}],
            "Entries": [
                {"CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
                {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "6", "PortRange": {"From": 443, "To": 443}, "RuleAction": "allow", "RuleNumber": 200},
                {"CidrBlock": "52.1.32.88/32", "Egress": false, "Protocol": "-1", "RuleAction": {"Value": "deny"}, "RuleNumber": ${first}},
                {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767}
            ],
            "IsDefault": false,
            "NetworkAclId": "${id}",
            "Tags": [{"Key": "Name", "Value": "${name}"}],
            "VpcId": "vpc-1"
        }`;
    const one = `{\n    "NetworkAcls": [\n${acl("acl-0a", "public", 90)}\n    ]\n}\n`;
    assertDetected(one, "aws-sg");
    const out = awsSecurityGroupParser.parse(one);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 8 in the list.");
    assert.equal(verdict(out, "52.1.37.96", 22), "52.1.37.96 → TCP 22: blocked by line 9 in the list.");
    // Two ACLs: a subnet has one; all on the path unless --ingress names it (by id or Name tag).
    const two = `{\n    "NetworkAcls": [\n${acl("acl-0a", "public", 90)},\n${acl("acl-0b", "private", 300)}\n    ]\n}\n`;
    assert.deepEqual(
      awsSecurityGroupParser.parse(two).path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["network ACL public", true],
        ["network ACL private", true],
      ],
    );
    const priv = awsSecurityGroupParser.parse(two, { ingress: "private" });
    assert.deepEqual(
      priv.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["network ACL public", false],
        ["network ACL private", true],
      ],
    );
    // In "private" the deny is rule 300, after the allow at 200.
    assert.equal(verdict(priv, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 20.");
  });

  // One document with both listings (`jq -s add` of describe-network-acls and describe-security-groups): the security
  // groups were dropped without a word, and the ACL's allow of 0.0.0.0/0 on 443 read every published IP as allowed.
  // A connection crosses the subnet's ACL, then the instance's groups: each must let it in
  // (https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html).
  test("network ACLs and security groups in one document: the ACL, then the groups, both on the path", () => {
    const both = `{
    "NetworkAcls": [
        {
            "Entries": [
                {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "6", "PortRange": {"From": 443, "To": 443}, "RuleAction": "allow", "RuleNumber": 200},
                {"CidrBlock": "3.74.148.9/32", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 100},
                {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767}
            ],
            "NetworkAclId": "acl-0a"
        }
    ],
    "SecurityGroups": [
        {
            "GroupName": "webhooks",
            "IpPermissions": [
                {"FromPort": 443, "IpProtocol": "tcp", "ToPort": 443, "IpRanges": [{"CidrIp": "52.1.37.96/32"}, {"CidrIp": "3.74.148.8/30"}]}
            ]
        }
    ]
}
`;
    assertDetected(both, "aws-sg");
    const out = awsSecurityGroupParser.parse(both);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough]),
      [
        ["network ACL", true, "deny"],
        ["security groups", true, "deny"],
      ],
    );
    assert.equal(
      out.path?.assumption,
      "The subnet's network ACL, then the instance's security groups: a connection must pass both.",
    );
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 5, then line 16.");
    assert.equal(verdict(out, "3.74.148.9"), "3.74.148.9 → TCP 443: blocked by line 6 in network ACL.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of security groups matches, and its default is deny.",
    );
    // The two listings pasted one after the other are not one JSON document: the finding says how to join them. The
    // engine words the error; the place and the hint are ours.
    const engineMessage = (t: string): string => {
      try {
        JSON.parse(t);
        return "";
      } catch (e) {
        return (e as Error).message.replace(/\s+/g, " ");
      }
    };
    const [acls, groups] = [both.indexOf('    "NetworkAcls"'), both.indexOf('    "SecurityGroups"')];
    const pasted = `{\n${both.slice(acls, groups).replace(/,\n$/, "\n")}}\n{\n${both.slice(groups)}`;
    assert.deepEqual(rows(awsSecurityGroupParser.parse(pasted)).findings, [
      [
        13,
        "invalid",
        `Not valid JSON (line 13, column 1): ${engineMessage(pasted)} — a second JSON document starts here: paste one, or join them into one first (jq -s add first.json second.json)`,
      ],
    ]);
    // Without the groups, the same ACL alone allows it.
    const aclOnly = both.replace(/,\n {4}"SecurityGroups"[\s\S]*\]\n\}/, "\n}");
    assert.equal(
      verdict(awsSecurityGroupParser.parse(aclOnly), "52.1.32.88"),
      "52.1.32.88 → TCP 443: allowed by line 5.",
    );
  });
});
