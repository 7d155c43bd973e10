// A missing delta must land where the compared config's path is: the RouterOS filter chain (input for the router
// itself, forward for a service behind it), the Kubernetes namespace whose policies isolate the service.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planExportRequest, type PlanCatalog } from "../../api/export-plan";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { parseText } from "../../parse";

const CATALOG: PlanCatalog = {
  providerName: "Freshworks",
  version: 1,
  checksum: "4ce552359fe97bd7",
  regionCodes: ["US", "EU", "IN", "AU"],
  catalog: SEED_CATALOG,
};

/** The delta of `config` for the US region, as the API and the CLI compute it (`missingFrom`). */
function deltaOf(format: string, config: string, listFormat: string, options: Record<string, unknown> = {}) {
  const plan = planExportRequest(CATALOG, {
    format,
    regions: "us",
    options: { namePrefix: "fw1", comments: false, ...options },
    missingFrom: { text: config, format: listFormat },
  });
  if (!plan.ok) assert.fail(`${plan.message} ${plan.issues.map((i) => i.message).join("; ")}`);
  return { text: plan.files[0]?.content ?? assert.fail("no file"), warnings: plan.warnings };
}

const summaryOf = (text: string, format: string) =>
  diff(SEED_CATALOG, parseText(text, format as Parameters<typeof parseText>[1]), { regions: ["US"], port: 443 })
    .summary;

// RouterOS: connections to the router itself cross chain input, routed ones chain forward; a rule in one chain is
// never met by a packet of the other (https://help.mikrotik.com/docs/display/ROS/Filter, "Chains").
const ROUTER = `/ip firewall address-list
add address=52.1.37.96 list=freshworks
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=443 protocol=tcp src-address-list=freshworks
add action=drop chain=input in-interface-list=WAN
`;

describe("mikrotik: the missing delta joins the compared config's chain", () => {
  test("a config read as the router itself (chain input) gets an input accept ahead of the chain's first rule", () => {
    assert.deepEqual(summaryOf(ROUTER, "mikrotik"), { published: 14, covered: 1, partial: 0, missing: 13 });
    const d = deltaOf("mikrotik", ROUTER, "mikrotik");
    assert.deepEqual(d.text.split("\n").slice(-6), [
      "/ip firewall filter",
      ':if ([:len [find comment="fw1-in"]] = 0) do={',
      "  :local first [find chain=input]",
      '  :if ([:len $first] > 0) do={ add chain=input action=accept protocol=tcp dst-port=443 src-address-list=fw1 comment="fw1-in" place-before=[:pick $first 0] } else={ add chain=input action=accept protocol=tcp dst-port=443 src-address-list=fw1 comment="fw1-in" }',
      "}",
      "",
    ]);
    assert.deepEqual(d.warnings, [
      "mikrotik: the accept rule goes into the existing filter chain input, ahead of its first rule (so of any drop in it)",
    ]);
    // Read back: the delta's rule placed where the script puts it, ahead of the first input rule.
    const entries = d.text
      .split("\n")
      .filter((l) => l.startsWith(":do { add list="))
      .map((l) => l.replace(/^:do \{ (add [^}]*) \} on-error=\{\}$/, "$1"));
    const merged = ROUTER.replace(
      "/ip firewall filter\n",
      `${entries.join("\n")}\n/ip firewall filter\nadd chain=input action=accept protocol=tcp dst-port=443 src-address-list=fw1\n`,
    );
    assert.deepEqual(summaryOf(merged, "mikrotik"), { published: 14, covered: 14, partial: 0, missing: 0 });
  });

  test("a config read as a service behind the router keeps chain forward", () => {
    const text = `${ROUTER}add action=drop chain=forward in-interface-list=WAN\n/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=443 protocol=tcp to-addresses=192.168.88.10\n`;
    const d = deltaOf("mikrotik", text, "mikrotik");
    assert.equal(d.text.split("\n").at(-4), "  :local first [find chain=forward]");
    assert.deepEqual(d.warnings, [
      "mikrotik: the accept rule goes into the existing filter chain forward, ahead of its first rule (so of any drop in it)",
    ]);
  });
});

// A NetworkPolicy selects pods of its own namespace only ("An empty podSelector matches all pods in this namespace",
// NetworkPolicySpec); one without metadata.namespace is created in kubectl's current namespace.
const WEB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: web
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-freshworks
  namespace: web
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 52.1.37.96/32
      ports:
        - protocol: TCP
          port: 443
`;

describe("k8s: the missing delta is created in the compared policies' namespace", () => {
  test("the delta's metadata names namespace web, and merged it covers every entry", () => {
    assert.deepEqual(summaryOf(WEB, "k8s"), { published: 14, covered: 1, partial: 0, missing: 13 });
    const d = deltaOf("k8s", WEB, "k8s");
    assert.deepEqual(d.text.split("\n").slice(0, 10), [
      "---",
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata:",
      "  name: fw1-delta-8293fd51",
      "  namespace: web",
      "spec:",
      "  podSelector: {}",
      "  policyTypes:",
      "    - Ingress",
    ]);
    assert.deepEqual(d.warnings, [
      "k8s: the NetworkPolicy is created in namespace web, whose pods the compared policies select (a policy selects pods of its own namespace only)",
      "k8s: podSelector {} selects every pod of the namespace, and a selected pod accepts only the ingress some NetworkPolicy allows: pods no other policy selected lose all other ingress. Narrow podSelector to the webhook receivers",
    ]);
    assert.deepEqual(summaryOf(`${WEB}${d.text}`, "k8s"), { published: 14, covered: 14, partial: 0, missing: 0 });
    // Without the namespace, kubectl creates it in the current namespace (default): it opens nothing in web.
    const elsewhere = `${WEB}${d.text.replace("  namespace: web\n", "  namespace: default\n")}`;
    assert.deepEqual(summaryOf(elsewhere, "k8s"), { published: 14, covered: 1, partial: 0, missing: 13 });
    // Policies without a namespace give a delta without one (created where they are).
    const bare = deltaOf("k8s", WEB.replaceAll("  namespace: web\n", ""), "k8s");
    assert.deepEqual(bare.text.split("\n").slice(3, 6), ["metadata:", "  name: fw1-delta-8293fd51", "spec:"]);
    assert.equal(bare.warnings.length, 1);
  });
});

// The AWS provider: standalone aws_vpc_security_group_ingress_rule resources must not be used with an
// aws_security_group that has in-line rules ("rule conflicts, perpetual differences, … rules being overwritten",
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group).
const SG = `resource "aws_security_group" "web" {
  name   = "web-sg"
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["52.1.37.96/32"]
  }
}
`;

describe("terraform-aws: a group with inline rules gets inline ingress blocks", () => {
  test("the delta is ingress blocks for aws_security_group.web; pasted inside it, every entry is covered", () => {
    assert.deepEqual(summaryOf(SG, "terraform"), { published: 14, covered: 1, partial: 0, missing: 13 });
    const d = deltaOf("terraform-aws", SG, "terraform");
    const plan = planExportRequest(CATALOG, {
      format: "terraform-aws",
      regions: "us",
      options: { namePrefix: "fw1", comments: false },
      missingFrom: { text: SG, format: "terraform" },
    });
    assert.equal(plan.ok && plan.files[0]?.name, "freshworks-us-missing-terraform-aws-ingress-blocks.txt");
    assert.deepEqual(d.text.split("\n"), [
      '# Add these ingress blocks inside resource "aws_security_group" "web" { … }, next to its own:',
      "# its rules are inline, and standalone aws_vpc_security_group_ingress_rule resources would conflict with them.",
      "",
      "  ingress {",
      "    from_port   = 443",
      "    to_port     = 443",
      '    protocol    = "tcp"',
      "    cidr_blocks = [",
      ...[
        "18.208.240.77/32",
        "34.231.139.135/32",
        "34.231.245.167/32",
        "44.206.73.232/29",
        "52.1.32.88/32",
        "52.201.75.8/32",
      ].map((c) => `      "${c}",`),
      "    ]",
      "  }",
      "",
    ]);
    assert.deepEqual(d.warnings, [
      "terraform-aws: aws_security_group.web has inline ingress blocks, which standalone aws_vpc_security_group_ingress_rule resources would conflict with (rules overwritten, perpetual differences): the delta is ingress blocks to add inside that resource",
    ]);
    // Read back: the blocks pasted inside the group, before its closing brace.
    const merged = SG.replace(/}\n$/, `${d.text.replace(/^#.*\n/gm, "")}}\n`);
    assert.deepEqual(summaryOf(merged, "terraform"), { published: 14, covered: 14, partial: 0, missing: 0 });
  });
});
