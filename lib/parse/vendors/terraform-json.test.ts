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

const STATE = readFileSync(fileURLToPath(new URL("./fixtures/terraform-state.json", import.meta.url)), "utf8");

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
  test("the state: a group's ingress and egress, its prefix list's entries; a standalone rule is not read twice", () => {
    assertWins(STATE, "terraform");
    const out = parseTerraform(STATE);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(rows(STATE), [
      [50, 49, "52.1.37.96/32", "in", "tcp", "443-443"],
      [50, 49, "52.1.32.88/32", "in", "tcp", "443-443"],
      // Reached through prefix_list_ids (line 65, the rule at line 60): the entry's own line.
      [17, 60, "44.206.73.232/29", "in", "tcp", "443-443"],
      // In the group's ingress as the provider read it back, and in aws_vpc_security_group_ingress_rule.web80: once.
      [72, 71, "18.208.240.77/32", "in", "tcp", "80-80"],
      [36, 35, "0.0.0.0/0", "out", undefined, undefined],
    ]);
    assert.deepEqual(out.notes, [
      "Read from terraform show -json (the state): the values Terraform recorded for each resource. 1 standalone rule resource is read through its group's ingress and egress, where the state lists every rule of the group.",
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 50.");
    assert.equal(verdict(out, "44.206.73.233"), "44.206.73.233 → TCP 443: allowed by line 17.");
    assert.equal(
      verdict(out, "18.208.240.77"),
      "18.208.240.77 → TCP 443: blocked — no rule of Terraform firewall resources matches, and its default is deny.",
    );
    assert.equal(verdict(out, "18.208.240.77", 80), "18.208.240.77 → TCP 80: allowed by line 72.");
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
