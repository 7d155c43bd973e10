import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { azureNsgParser } from "./azure";
import { assertDetected, rows } from "./linux.testkit";
import { verdict } from "./hosts.testkit";

const SAMPLE_0 = `{
  "defaultSecurityRules": [
    {
      "access": "Allow",
      "description": "Allow inbound traffic from all VMs in VNET",
      "destinationAddressPrefix": "VirtualNetwork",
      "destinationPortRange": "*",
      "direction": "Inbound",
      "name": "AllowVnetInBound",
      "priority": 65000,
      "protocol": "*",
      "sourceAddressPrefix": "VirtualNetwork",
      "sourcePortRange": "*"
    },
    {
      "access": "Deny",
      "description": "Deny all inbound traffic",
      "destinationAddressPrefix": "*",
      "destinationPortRange": "*",
      "direction": "Inbound",
      "name": "DenyAllInBound",
      "priority": 65500,
      "protocol": "*",
      "sourceAddressPrefix": "*",
      "sourcePortRange": "*"
    }
  ],
  "location": "westeurope",
  "name": "webhooks-nsg",
  "securityRules": [
    {
      "access": "Allow",
      "destinationAddressPrefix": "*",
      "destinationPortRange": "443",
      "destinationPortRanges": [],
      "direction": "Inbound",
      "name": "AllowFreshworks",
      "priority": 200,
      "protocol": "Tcp",
      "sourceAddressPrefix": "",
      "sourceAddressPrefixes": [
        "18.208.240.77",
        "13.232.152.0/24",
        "2406:da00:ff00::/48"
      ],
      "sourcePortRange": "*"
    },
    {
      "access": "Deny",
      "destinationAddressPrefix": "*",
      "destinationPortRange": "",
      "destinationPortRanges": ["80", "443", "8000-8080"],
      "direction": "Inbound",
      "name": "DenyOneHost",
      "priority": 100,
      "protocol": "*",
      "sourceAddressPrefix": "13.232.152.9",
      "sourcePortRange": "*"
    },
    {
      "access": "Allow",
      "destinationAddressPrefix": "Internet",
      "destinationPortRange": "*",
      "direction": "Outbound",
      "name": "AllowOut",
      "priority": 100,
      "protocol": "*",
      "sourceAddressPrefix": "*",
      "sourcePortRange": "*"
    }
  ]
}
`;

const SAMPLE_1 = `[
  {
    "name": "AllowPartnersHttps",
    "properties": {
      "access": "Allow",
      "direction": "Inbound",
      "priority": 300,
      "protocol": "Tcp",
      "sourceAddressPrefix": "Internet",
      "destinationPortRange": "443"
    }
  },
  {
    "name": "AllowStorage",
    "properties": {
      "access": "Allow",
      "direction": "Inbound",
      "priority": 310,
      "protocol": "Tcp",
      "sourceAddressPrefix": "AzureCloud.WestEurope",
      "destinationPortRange": "443"
    }
  },
  {
    "name": "Broken",
    "properties": {
      "access": "Maybe",
      "direction": "Inbound",
      "priority": 320,
      "sourceAddressPrefix": "1.2.3.4"
    }
  },
  {
    "name": "BadPrefix",
    "properties": {
      "access": "Allow",
      "direction": "Inbound",
      "priority": 330,
      "protocol": "Udp",
      "sourceAddressPrefix": "10.0.0.0/40",
      "destinationPortRange": "53"
    }
  }
]
`;

describe("azure-nsg parser", () => {
  test("nsg show: priorities sort custom and default rules, port lists, service tags, outbound", () => {
    assert.deepEqual(rows(azureNsgParser.parse(SAMPLE_0)), {
      entries: [
        [57, "13.232.152.9", "address", "deny", "in", "", "80,443,8000-8080", "", 0, "13.232.152.9", "DenyOneHost"],
        [42, "18.208.240.77", "address", "allow", "in", "tcp", "443", "", 0, "18.208.240.77", "AllowFreshworks"],
        [43, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "13.232.152.0/24", "AllowFreshworks"],
        [
          44,
          "2406:da00:ff00::/48",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          0,
          "2406:da00:ff00::/48",
          "AllowFreshworks",
        ],
        [24, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "*", "DenyAllInBound"],
        [24, "::/0", "any", "deny", "in", "", "", "", 0, "*", "DenyAllInBound"],
        [68, "0.0.0.0/0", "any", "allow", "out", "", "", "", 0, "*", "AllowOut"],
        [68, "::/0", "any", "allow", "out", "", "", "", 0, "*", "AllowOut"],
      ],
      findings: [
        [
          12,
          "note",
          'Service tag "VirtualNetwork" is not expanded: it is read as matching none of the published addresses.',
        ],
      ],
      notes: [],
    });
  });

  test("nsg rule list in ARM shape: Internet, service tag, unreadable rule, bad prefix", () => {
    assert.deepEqual(rows(azureNsgParser.parse(SAMPLE_1)), {
      entries: [
        [9, "0.0.0.0/0", "any", "allow", "in", "tcp", "443", "", 0, "Internet", "AllowPartnersHttps"],
        [9, "::/0", "any", "allow", "in", "tcp", "443", "", 0, "Internet", "AllowPartnersHttps"],
      ],
      findings: [
        [
          20,
          "note",
          'Service tag "AzureCloud.WestEurope" is not expanded: it is read as matching none of the published addresses.',
        ],
        [24, "not-understood", 'Rule "Broken" has no readable access (Allow/Deny) or direction (Inbound/Outbound).'],
        [40, "invalid", '"10.0.0.0/40" is not an address, prefix or range: prefix length is greater than 32.'],
      ],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1]) assertDetected(s, "azure-nsg");
  });

  test("nsg list: each security group is ordered on its own", () => {
    const text = JSON.stringify(
      [
        {
          name: "a",
          securityRules: [
            { access: "Allow", direction: "Inbound", priority: 200, sourceAddressPrefix: "192.0.2.1", protocol: "*" },
            { access: "Deny", direction: "Inbound", priority: 100, sourceAddressPrefix: "192.0.2.0/24", protocol: "*" },
          ],
        },
        {
          name: "b",
          securityRules: [
            {
              access: "Allow",
              direction: "Inbound",
              priority: 100,
              sourceAddressPrefix: "198.51.100.1",
              protocol: "*",
            },
          ],
        },
      ],
      null,
      1,
    );
    assert.deepEqual(
      rows(azureNsgParser.parse(text)).entries.map((r) => [r[1], r[3]]),
      [
        ["192.0.2.0/24", "deny"],
        ["192.0.2.1", "allow"],
        ["198.51.100.1", "allow"],
      ],
    );
  });

  // An exported ARM template (https://learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups):
  // the NSG is one of "resources", its rules inline or as child securityRules resources. The whole template was read
  // as one unreadable rule, so every address was missing.
  test("ARM template: inline rules and child securityRules resources; expressions are findings", () => {
    const text = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "office": { "type": "String" } },
  "resources": [
    {
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-04-01",
      "name": "web-nsg",
      "location": "westeurope",
      "properties": {
        "securityRules": [
          {
            "name": "allow-freshworks",
            "properties": {
              "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443",
              "sourceAddressPrefixes": ["52.1.37.96/32"], "destinationAddressPrefix": "*",
              "access": "Allow", "priority": 200, "direction": "Inbound"
            }
          }
        ]
      }
    },
    {
      "type": "Microsoft.Network/networkSecurityGroups/securityRules",
      "apiVersion": "2023-04-01",
      "name": "web-nsg/deny-one",
      "properties": {
        "protocol": "*", "sourcePortRange": "*", "destinationPortRange": "*",
        "sourceAddressPrefix": "52.1.37.96", "destinationAddressPrefix": "*",
        "access": "Deny", "priority": 100, "direction": "Inbound"
      }
    },
    {
      "type": "Microsoft.Network/networkSecurityGroups/securityRules",
      "apiVersion": "2023-04-01",
      "name": "web-nsg/office",
      "properties": {
        "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443",
        "sourceAddressPrefix": "[parameters('office')]", "destinationAddressPrefix": "*",
        "access": "Allow", "priority": 300, "direction": "Inbound"
      }
    }
  ]
}`;
    const out = azureNsgParser.parse(text);
    assert.deepEqual(rows(out), {
      entries: [
        [30, "52.1.37.96", "address", "deny", "in", "", "", "", 0, "52.1.37.96", "deny-one"],
        [17, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.37.96/32", "allow-freshworks"],
      ],
      findings: [
        [
          40,
          "not-understood",
          `"[parameters('office')]" is a template expression that is not a parameter with a default value: it is not read.`,
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 30 in the list.");
    assertDetected(text, "azure-nsg");
  });

  // The NSG matches the SYN's source port; the sender picks an ephemeral one (RFC 6335 §6: 49152-65535; Linux
  // 32768-60999), so a rule on source ports 1024-65535 always matches it, one on source port 80 never does. Every
  // source port limit was read as never met.
  test("an allow limited to source ports is met only when they hold the whole ephemeral range", () => {
    const text = `[
  { "name": "sp-high", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
    "sourcePortRange": "1024-65535", "destinationPortRange": "443", "sourceAddressPrefix": "52.1.37.96" },
  { "name": "sp-80", "priority": 110, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
    "sourcePortRanges": ["80", "443"], "destinationPortRange": "443", "sourceAddressPrefix": "52.1.32.88" }
]`;
    const out = azureNsgParser.parse(text);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.unmet ?? ""]),
      [
        [3, "52.1.37.96", ""],
        [5, "52.1.32.88", "only source port 80, 443 (a client's source port is ephemeral)"],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assert.match(verdict(out, "52.1.32.88"), /blocked/);
  });

  // `az network nsg list` gives every NSG of the subscription, but a connection crosses only its subnet's and its NIC's
  // (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works): --ingress names them.
  // Every NSG was on the path, so an NSG of an unrelated subnet that allows nothing made everything missing.
  test("nsg list with --ingress: only the NSGs named are on the path", () => {
    const rule = (prefix: string) =>
      `{ "name": "r", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "destinationPortRange": "443", "sourceAddressPrefix": "${prefix}" }`;
    const text = `[
  { "name": "subnet-nsg", "securityRules": [ ${rule("52.1.37.96")} ] },
  { "name": "nic-nsg", "securityRules": [ ${rule("52.1.0.0/16")} ] },
  { "name": "db-nsg", "securityRules": [ ${rule("10.0.0.0/8")} ] }
]`;
    const all = azureNsgParser.parse(text);
    assert.equal(
      all.path?.assumption,
      "3 NSGs: all read as on the path, so each must allow the connection; a connection crosses at most two (its subnet's and its NIC's): name them with --ingress NSG[,NSG].",
    );
    assert.match(verdict(all, "52.1.37.96"), /blocked/);
    const two = azureNsgParser.parse(text, { ingress: "subnet-nsg, nic-nsg" });
    assert.deepEqual(
      two.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["NSG subnet-nsg", true],
        ["NSG nic-nsg", true],
        ["NSG db-nsg", false],
      ],
    );
    assert.equal(verdict(two, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2, then line 3.");
    assert.match(verdict(two, "52.1.32.88"), /blocked/);
  });

  // Windows PowerShell writes a byte order mark (Out-File, ">"), which RFC 8259 §8.1 lets a parser ignore
  // (https://www.rfc-editor.org/rfc/rfc8259#section-8.1); such a paste was one "Not valid JSON" finding.
  test("a leading byte order mark is ignored (PowerShell output)", () => {
    const text = `\ufeff[
  { "Name": "fw", "Priority": 100, "Direction": "Inbound", "Access": "Allow", "Protocol": "Tcp",
    "DestinationPortRange": ["443"], "SourceAddressPrefix": ["52.1.37.96/32"] }
]`;
    const out = azureNsgParser.parse(text);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assertDetected(text, "azure-nsg");
  });

  // The portal's "Export template" / az group export names the NSG "[parameters('p')]" and each child rule
  // "[concat(parameters('p'), '/rule')]", and lists every rule twice (inline and as a child resource). The child rules
  // became a second NSG (so both "had to" allow) and every rule was doubled.
  test("exported template: parameter names tie child rules to their NSG; a rule listed twice is read once", () => {
    const rule = (name: string, extra: string) =>
      `{ "name": "${name}", "properties": { "protocol": "TCP", "sourcePortRange": "*", "destinationPortRange": "443", "destinationAddressPrefix": "*", ${extra} } }`;
    const text = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "networkSecurityGroups_web_nsg_name": { "defaultValue": "web-nsg", "type": "String" } },
  "resources": [
    { "type": "Microsoft.Network/networkSecurityGroups", "name": "[parameters('networkSecurityGroups_web_nsg_name')]",
      "properties": { "securityRules": [
        ${rule("allow-fw", '"access": "Allow", "priority": 100, "direction": "Inbound", "sourceAddressPrefix": "52.1.37.96"')}
      ] } },
    { "type": "Microsoft.Network/networkSecurityGroups/securityRules",
      "name": "[concat(parameters('networkSecurityGroups_web_nsg_name'), '/allow-fw')]",
      "properties": { "access": "Allow", "priority": 100, "direction": "Inbound", "protocol": "TCP",
        "destinationPortRange": "443", "sourceAddressPrefix": "52.1.37.96" } },
    { "type": "Microsoft.Network/networkSecurityGroups/securityRules",
      "name": "[concat(parameters('networkSecurityGroups_web_nsg_name'), '/deny-one')]",
      "properties": { "access": "Deny", "priority": 90, "direction": "Inbound", "protocol": "*",
        "destinationPortRange": "*", "sourceAddressPrefix": "52.1.32.88" } }
  ]
}`;
    const out = azureNsgParser.parse(text);
    assert.equal(out.path, undefined);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action, e.comment]),
      [
        [16, "52.1.32.88", "deny", "deny-one"],
        [7, "52.1.37.96", "allow", "allow-fw"],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
  });

  // A deployment without a value for a parameter uses its defaultValue
  // (https://learn.microsoft.com/azure/azure-resource-manager/templates/parameters#default-value).
  test("template: a source that is a parameter is read at its default value", () => {
    const text = `{
  "parameters": {
    "freshworks": { "type": "Array", "defaultValue": ["52.1.37.96/32", "52.1.32.88/32"] }
  },
  "resources": [
    { "type": "Microsoft.Network/networkSecurityGroups", "name": "nsg",
      "properties": { "securityRules": [ { "name": "fw", "properties": {
        "access": "Allow", "priority": 100, "direction": "Inbound", "protocol": "Tcp", "destinationPortRange": "443",
        "sourceAddressPrefixes": "[parameters('freshworks')]" } } ] } }
  ]
}`;
    const out = azureNsgParser.parse(text);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token]),
      [
        [3, "52.1.37.96/32"],
        [3, "52.1.32.88/32"],
      ],
    );
    assert.deepEqual(out.findings, []);
  });
  // `az network nic list-effective-nsg` (https://learn.microsoft.com/cli/azure/network/nic#az-network-nic-list-effective-nsg)
  // lists each NSG applied to the NIC (its subnet's and its own) with its effectiveSecurityRules, protocol "All" for
  // any (EffectiveSecurityRuleProtocol: Tcp, Udp, All:
  // https://learn.microsoft.com/dotnet/api/azure.resourcemanager.network.models.effectivesecurityruleprotocol), and the same prefix in sourceAddressPrefix and sourceAddressPrefixes. It was read as one rule with no access
  // (every address reported blocked), and "All" as a protocol other than TCP, so such a deny blocked nothing.
  test("effective rules (list-effective-nsg): one NSG per item, each must allow; protocol All is any", () => {
    const rule = (name: string, access: string, priority: number, protocol: string, src: string, ports: string) =>
      `{ "access": "${access}", "destinationAddressPrefix": "0.0.0.0/0", "destinationAddressPrefixes": ["0.0.0.0/0"],
          "destinationPortRange": "${ports}", "destinationPortRanges": ["${ports}"], "direction": "Inbound",
          "name": "${name}", "priority": ${priority}, "protocol": "${protocol}", "sourceAddressPrefix": "${src}",
          "sourceAddressPrefixes": ["${src}"], "sourcePortRange": "0-65535", "sourcePortRanges": ["0-65535"] }`;
    const nsg = (name: string, rules: string[]) => `{
      "association": { "subnet": null },
      "effectiveSecurityRules": [
        ${rules.join(",\n        ")}
      ],
      "networkSecurityGroup": { "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}" }
    }`;
    const text = `{
  "value": [
    ${nsg("subnet-nsg", [
      rule("securityRules/allow-fw", "Allow", 300, "Tcp", "52.1.37.0/24", "443-443"),
      rule("defaultSecurityRules/DenyAllInBound", "Deny", 65500, "All", "0.0.0.0/0", "0-65535"),
    ])},
    ${nsg("nic-nsg", [
      rule("securityRules/deny-one", "Deny", 100, "All", "52.1.37.96/32", "0-65535"),
      rule("securityRules/allow-internet", "Allow", 200, "All", "Internet", "0-65535"),
    ])}
  ]
}`;
    assertDetected(text, "azure-nsg");
    const out = azureNsgParser.parse(text);
    assert.deepEqual(
      out.path?.contexts.map((c) => c.name),
      ["NSG subnet-nsg", "NSG nic-nsg"],
    );
    assert.equal(out.entries.filter((e) => e.comment === "allow-fw").length, 1);
    assert.equal(verdict(out, "52.1.37.97"), "52.1.37.97 → TCP 443: allowed by line 9, then line 27.");
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 23 in NSG nic-nsg.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 13 in NSG subnet-nsg.");
    assert.deepEqual(
      out.findings.filter((f) => f.kind !== "note"),
      [],
    );
  });
  // A rule's destination (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules:
  // "Source or destination": an IP address, CIDR block, service tag or application security group) limits it to
  // connections to those addresses or NICs. An allow to another VM's address was counted as letting the webhooks in
  // to the service without a word; the rule is still read as applying, and a note now says to what.
  test("a rule to a specific destination or application security group is read as applying, with a note", () => {
    const text = `[
  { "name": "allow-vm2", "access": "Allow", "direction": "Inbound", "priority": 100, "protocol": "Tcp",
    "sourceAddressPrefix": "52.1.37.96", "destinationAddressPrefix": "10.0.1.5", "destinationPortRange": "443" },
  { "name": "deny-web", "access": "Deny", "direction": "Inbound", "priority": 110, "protocol": "*",
    "sourceAddressPrefix": "52.1.32.88", "destinationApplicationSecurityGroups": [ { "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/web-asg" } ],
    "destinationPortRange": "*" },
  { "name": "allow-vnet", "access": "Allow", "direction": "Inbound", "priority": 120, "protocol": "Tcp",
    "sourceAddressPrefix": "18.208.240.77", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRange": "443" }
]`;
    const out = azureNsgParser.parse(text);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "note",
          'Rule "allow-vm2" applies only to connections to 10.0.1.5: it is read as applying to the service. If the service is not at that address, this rule does not let the connection in.',
        ],
        [
          4,
          "note",
          'Rule "deny-web" applies only to the NICs of application security group web-asg: it is read as applying to the service. If the service is not behind such a NIC, this rule does not block it.',
        ],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
  });
});
