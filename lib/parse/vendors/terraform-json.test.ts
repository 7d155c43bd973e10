/**
 * `terraform show -json`: the state (https://developer.hashicorp.com/terraform/internals/json-format#state-representation)
 * and a saved plan's planned_values (…#plan-representation), read as the HCL resources they record. The state fixture
 * is what `terraform apply` then `terraform show -json | jq .` prints for a security group with a managed prefix list
 * and one aws_vpc_security_group_ingress_rule (provider hashicorp/aws 5.x attribute names).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseTerraform } from "./terraform";
import { assertWins, verdict } from "./hosts.testkit";
import { collectFindings } from "../../diff/findings";
import { runDiff } from "../../diff/run";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");
const STATE = fixture("terraform-state.json");

const rows = (text: string) =>
  parseTerraform(text).entries.map((e) => [
    e.line,
    e.ruleLine,
    e.token,
    e.direction,
    e.protocol,
    e.ports?.map((p) => `${p.from}-${p.to}`).join(","),
  ]);

describe("terraform show -json", () => {
  test("the state: a group's ingress and egress, its prefix list's entries", () => {
    // The fixture without its rule resource: the group's own lists are its rules.
    const groupOnly = STATE.replace(
      /,\n {8}\{\n {10}"address": "aws_vpc_security_group_ingress_rule\.web80"[^]*?\n {8}\}/,
      "",
    );
    assertWins(groupOnly, "terraform");
    const out = parseTerraform(groupOnly);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(rows(groupOnly), [
      [50, 49, "52.1.37.96/32", "in", "tcp", "443-443"],
      [50, 49, "52.1.32.88/32", "in", "tcp", "443-443"],
      // Reached through prefix_list_ids (line 65, the rule at line 60): the entry's own line.
      [17, 60, "44.206.73.232/29", "in", "tcp", "443-443"],
      [72, 71, "18.208.240.77/32", "in", "tcp", "80-80"],
      [36, 35, "0.0.0.0/0", "out", undefined, undefined],
    ]);
    assert.deepEqual(out.notes, [
      "Read from terraform show -json (the state): the values Terraform recorded for each resource.",
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 50.");
    assert.equal(verdict(out, "44.206.73.233"), "44.206.73.233 → TCP 443: allowed by line 17.");
    assert.equal(verdict(out, "18.208.240.77", 80), "18.208.240.77 → TCP 80: allowed by line 72.");
  });

  // A group's list is "Optional, Computed": Terraform rewrites it only when it reads the group, and an apply that
  // creates or destroys a rule resource does not. With rule resources the providers support no inline rules for the
  // group (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group): the resources are read,
  // the list is not, and what it lists that none of them holds is a note. Every rule resource was dropped as a
  // duplicate of the group's list before: the two states below are a probe's (Terraform 1.11, AWS provider 5.100,
  // against a mock of EC2), whose verdicts were the reverse of what AWS did.
  const stale = (rule: string) =>
    `The ingress of security group web, as Terraform last read the security group, lists ${rule}, which none of its rule resources holds: removed by Terraform since, or added outside Terraform. Not read (the rule resources are what Terraform manages); after terraform apply -refresh-only the list is current, and a rule still listed then was added outside Terraform and is in force.`;
  const oneResource =
    "Read from terraform show -json (the state): the values Terraform recorded for each resource. 1 rule resource is read for its group, instead of the group's own list of rules, which Terraform updates only when it reads the group again.";

  // Inline rather than a fixture file: Prettier would rewrite the probe's layout, and its lines are the test.
  const RULE_REMOVED = `{
  "format_version": "1.0",
  "terraform_version": "1.11.4",
  "values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_security_group.web",
          "mode": "managed",
          "type": "aws_security_group",
          "name": "web",
          "values": {
            "id": "sg-365757d7c2d5d0aa7",
            "name": "webhook-sg",
            "egress": [],
            "ingress": [
              {"cidr_blocks": ["52.1.32.88/32", "52.1.37.96/32"], "description": "", "from_port": 443, "ipv6_cidr_blocks": [],
               "prefix_list_ids": [], "protocol": "tcp", "security_groups": [], "self": false, "to_port": 443}
            ]
          }
        },
        {
          "address": "aws_vpc_security_group_ingress_rule.fw[\\"52.1.37.96/32\\"]",
          "mode": "managed",
          "type": "aws_vpc_security_group_ingress_rule",
          "name": "fw",
          "index": "52.1.37.96/32",
          "values": {"id": "sgr-04333f7c8fc3c6bb4", "security_group_id": "sg-365757d7c2d5d0aa7",
                     "cidr_ipv4": "52.1.37.96/32", "ip_protocol": "tcp", "from_port": 443, "to_port": 443}
        }
      ]
    }
  }
}
`;

  test("a rule resource created after the group's last read: ingress [] in the state, the rule allows", () => {
    const text = fixture("terraform-state-rule-added.json");
    const out = parseTerraform(text);
    assert.deepEqual(rows(text), [[23, 14, "52.1.37.96/32", "in", "tcp", "443-443"]]);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(out.notes, [oneResource]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 23.");
  });

  test("a rule resource destroyed after the group's last read: the group still lists it, and AWS blocks it", () => {
    const text = RULE_REMOVED;
    const out = parseTerraform(text);
    assert.deepEqual(rows(text), [[29, 22, "52.1.37.96/32", "in", "tcp", "443-443"]]);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [[17, "note", stale("tcp 443 from 52.1.32.88/32")]],
    );
    assert.deepEqual(out.notes, [oneResource]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 29.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of Terraform firewall resources matches, and its default is deny.",
    );
  });

  test("the group's list beside a rule resource of the same group: the resource is read, the list's other rules noted", () => {
    const out = parseTerraform(STATE);
    assert.deepEqual(rows(STATE), [
      [100, 92, "18.208.240.77/32", "in", "tcp", "80-80"],
      // No egress rule resource: the group's egress is read.
      [36, 35, "0.0.0.0/0", "out", undefined, undefined],
    ]);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          49,
          "note",
          stale("tcp 443 from 52.1.37.96/32, 52.1.32.88/32").replace(/security group web\b/, "security group webhooks"),
        ],
        [
          60,
          "note",
          stale("tcp 443 from pl-0f1e2d3c4b5a69788").replace(/security group web\b/, "security group webhooks"),
        ],
      ],
    );
    assert.equal(verdict(out, "18.208.240.77", 80), "18.208.240.77 → TCP 80: allowed by line 100.");
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of Terraform firewall resources matches, and its default is deny.",
    );
  });

  // The azurerm provider's Read writes every rule of the NSG into security_rule ("Optional, Computed"), the one an
  // azurerm_network_security_rule created too: read as the group's list plus the resource, one Azure rule was two,
  // and the diff called the second a duplicate of the first. A probe's state (Terraform 1.11).
  test("an NSG and its azurerm_network_security_rule: one rule, read once", () => {
    const text = fixture("terraform-state-azure-rule.json");
    const out = parseTerraform(text);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.ruleLine, e.token, e.action, e.comment]),
      [
        [61, 40, "18.184.146.22/32", "allow", "Allow-Freshworks-EU"],
        [61, 40, "18.197.127.133/32", "allow", "Allow-Freshworks-EU"],
      ],
    );
    assert.deepEqual(out.findings, []);
    assert.deepEqual(out.notes, [oneResource]);
    const run = runDiff({ text, format: "terraform", regions: ["EU"], port: 443, catalog: SEED_CATALOG });
    assert.deepEqual(
      collectFindings(run.rows, 100).first.map((f) => [f.line, f.message]),
      [],
    );
    assert.equal(verdict(out, "18.184.146.22"), "18.184.146.22 → TCP 443: allowed by line 61.");
  });

  // The same for a network ACL and its aws_network_acl_rule resources: one rule number is one rule.
  test("a network ACL with an aws_network_acl_rule: the resources are read, the rule number it no longer has noted", () => {
    const doc = JSON.stringify(
      {
        format_version: "1.0",
        terraform_version: "1.11.4",
        values: {
          root_module: {
            resources: [
              {
                address: "aws_network_acl.public",
                mode: "managed",
                type: "aws_network_acl",
                name: "public",
                values: {
                  id: "acl-1",
                  egress: [],
                  ingress: [
                    {
                      rule_no: 90,
                      action: "deny",
                      protocol: "6",
                      cidr_block: "52.1.32.88/32",
                      from_port: 443,
                      to_port: 443,
                    },
                    {
                      rule_no: 100,
                      action: "allow",
                      protocol: "6",
                      cidr_block: "0.0.0.0/0",
                      from_port: 443,
                      to_port: 443,
                    },
                  ],
                },
              },
              {
                address: "aws_network_acl_rule.https",
                mode: "managed",
                type: "aws_network_acl_rule",
                name: "https",
                values: {
                  network_acl_id: "acl-1",
                  rule_number: 100,
                  egress: false,
                  protocol: "6",
                  rule_action: "allow",
                  cidr_block: "0.0.0.0/0",
                  from_port: 443,
                  to_port: 443,
                },
              },
            ],
          },
        },
      },
      null,
      2,
    );
    const out = parseTerraform(doc);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [[46, "0.0.0.0/0", "allow"]],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          16,
          "note",
          "The ingress of network ACL public, as Terraform last read the network ACL, lists rule 90, which none of its rule resources holds: removed by Terraform since, or added outside Terraform. Not read (the rule resources are what Terraform manages); after terraform apply -refresh-only the list is current, and a rule still listed then was added outside Terraform and is in force.",
        ],
      ],
    );
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 46.");
  });

  test("as printed without jq (one line): the same rules, every one on line 1", () => {
    const compact = JSON.stringify(JSON.parse(STATE));
    assertWins(compact, "terraform");
    assert.deepEqual(
      rows(compact),
      rows(STATE).map(([, , ...rest]) => [1, undefined, ...rest]),
    );
  });

  test("a saved plan: planned_values, standalone rules kept (their group's ID is known only after apply)", () => {
    const plan = JSON.stringify(
      {
        format_version: "1.2",
        terraform_version: "1.9.5",
        planned_values: {
          root_module: {
            resources: [
              {
                address: "aws_security_group.web",
                mode: "managed",
                type: "aws_security_group",
                name: "web",
                values: { name: "web", description: "Managed by Terraform", revoke_rules_on_delete: false },
              },
              {
                address: 'aws_vpc_security_group_ingress_rule.freshworks["us"]',
                mode: "managed",
                type: "aws_vpc_security_group_ingress_rule",
                name: "freshworks",
                index: "us",
                values: { cidr_ipv4: "52.1.37.96/32", from_port: 443, to_port: 443, ip_protocol: "tcp" },
              },
            ],
          },
        },
        resource_changes: [],
      },
      null,
      2,
    );
    const out = parseTerraform(plan);
    assert.deepEqual(rows(plan), [[25, 18, "52.1.37.96/32", "in", "tcp", "443-443"]]);
    assert.deepEqual(out.notes, [
      "Read from terraform show -json (a saved plan): the planned values; a value known only after apply is not read.",
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 25.");
  });

  test("a child module's Azure NSG by priority (deny 100 before allow 200) and its resources' instance keys", () => {
    const doc = JSON.stringify(
      {
        format_version: "1.0",
        terraform_version: "1.9.5",
        values: {
          root_module: {
            child_modules: [
              {
                address: "module.edge",
                resources: [
                  {
                    address: "module.edge.azurerm_network_security_group.web[0]",
                    mode: "managed",
                    type: "azurerm_network_security_group",
                    name: "web",
                    index: 0,
                    values: {
                      name: "web-nsg",
                      security_rule: [
                        {
                          name: "allow-us",
                          priority: 200,
                          direction: "Inbound",
                          access: "Allow",
                          protocol: "Tcp",
                          source_port_range: "*",
                          destination_port_range: "443",
                          source_address_prefix: "",
                          source_address_prefixes: ["52.1.0.0/16"],
                          destination_address_prefix: "*",
                          destination_port_ranges: [],
                        },
                        {
                          name: "deny-one",
                          priority: 100,
                          direction: "Inbound",
                          access: "Deny",
                          protocol: "*",
                          source_port_range: "*",
                          destination_port_range: "*",
                          source_address_prefix: "52.1.37.96",
                          source_address_prefixes: [],
                          destination_address_prefix: "*",
                          destination_port_ranges: [],
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        },
      },
      null,
      2,
    );
    const out = parseTerraform(doc);
    assert.deepEqual(out.findings, []);
    // Priority 100 (written second, line 42) before 200 (line 29): Azure reads rules by priority, not by place.
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [
        [42, "52.1.37.96", "deny"],
        [29, "52.1.0.0/16", "allow"],
      ],
    );
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 42 in Terraform firewall resources.",
    );
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 29.");
  });

  test("a document without values, and broken JSON, are findings with their line", () => {
    const empty = '{\n  "format_version": "1.0",\n  "terraform_version": "1.9.5"\n}\n';
    assert.deepEqual(
      parseTerraform(empty).findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1,
          "not-understood",
          "A terraform show -json document without values or planned_values (an empty state?): no resource to read.",
        ],
      ],
    );
    const broken = '{\n  "format_version": "1.0",\n  "terraform_version": "1.9.5",\n  "values": {\n}\n';
    assert.deepEqual(
      parseTerraform(broken).findings.map((f) => [f.line, f.kind]),
      [[5, "invalid"]],
    );
  });
});
