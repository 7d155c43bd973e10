/**
 * Terraform firewall resources (HCL), with exact entries and verdicts. Resource arguments from the provider docs:
 * registry.terraform.io/providers/hashicorp/aws (aws_security_group, aws_vpc_security_group_ingress_rule),
 * hashicorp/azurerm (azurerm_network_security_rule), hashicorp/google (google_compute_firewall).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseTerraform } from "./terraform";
import { parseHcl } from "./hcl";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const TF = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals {
  freshworks = {
    "52.1.37.96/32" = "US"
    "3.74.148.8/30" = "EU"
  }
}

resource "aws_security_group" "webhooks" {
  name   = "webhooks"
  vpc_id = var.vpc_id

  ingress {
    description = "Freshworks US"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["52.1.32.0/24", "44.206.73.232/29"]
  }

  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    cidr_blocks      = [var.office_cidr]
    ipv6_cidr_blocks = ["2406:da00:ff00::/48"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "freshworks" {
  for_each          = local.freshworks
  security_group_id = aws_security_group.webhooks.id
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 8000
  to_port           = 8100
  description       = each.value
}

resource "azurerm_network_security_rule" "deny_abuse" {
  name                        = "deny-abuse"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "52.1.32.88/32"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.rg.name
  network_security_group_name = azurerm_network_security_group.nsg.name
}

resource "azurerm_network_security_rule" "allow_freshworks" {
  name                        = "allow-freshworks"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "8443"]
  source_address_prefixes     = ["52.1.32.0/24", "3.74.148.8/30"]
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.rg.name
  network_security_group_name = azurerm_network_security_group.nsg.name
}

resource "google_compute_firewall" "freshworks" {
  name          = "allow-freshworks"
  network       = google_compute_network.vpc.name
  direction     = "INGRESS"
  priority      = 900
  source_ranges = ["18.184.146.22/32"]

  allow {
    protocol = "tcp"
    ports    = ["443", "8000-8100"]
  }
}
`;

const CTX = "Terraform firewall resources";

describe("Terraform", () => {
  test("AWS blocks and for_each rules, Azure by priority, GCP; variables are findings, not guesses", () => {
    const out = parseTerraform(TF);
    assert.deepEqual(pathRows(out), {
      entries: [
        [61, "52.1.32.88", "cidr", "deny", "in", "", "", "", 53, "52.1.32.88/32", "deny-abuse", 0, ""],
        [
          75,
          "52.1.32.0/24",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "",
          67,
          "52.1.32.0/24",
          "allow-freshworks",
          0,
          "",
        ],
        [
          75,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "",
          67,
          "3.74.148.8/30",
          "allow-freshworks",
          0,
          "",
        ],
        [
          86,
          "18.184.146.22",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8000-8100",
          "",
          88,
          "18.184.146.22/32",
          "freshworks",
          0,
          "",
        ],
        [24, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 19, "52.1.32.0/24", "Freshworks US", 0, ""],
        [
          24,
          "44.206.73.232/29",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          19,
          "44.206.73.232/29",
          "Freshworks US",
          0,
          "",
        ],
        [32, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "22", "", 27, "2406:da00:ff00::/48", "", 0, ""],
        [10, "52.1.37.96", "cidr", "allow", "in", "tcp", "8000-8100", "", 43, "52.1.37.96/32", "US", 0, ""],
        [11, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "8000-8100", "", 43, "3.74.148.8/30", "EU", 0, ""],
        [39, "0.0.0.0/0", "cidr", "allow", "out", "", "", "", 35, "0.0.0.0/0", "", 0, ""],
      ],
      findings: [[31, "not-understood", "An address that is not a literal string or a local: not read."]],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.32.88"), `52.1.32.88 → TCP 443: blocked by line 61 in ${CTX}.`);
    assert.equal(verdict(out, "52.1.32.89"), "52.1.32.89 → TCP 443: allowed by line 75.");
    assert.equal(verdict(out, "52.1.37.96", 8050), "52.1.37.96 → TCP 8050: allowed by line 10.");
    assert.equal(
      verdict(out, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked — no rule of ${CTX} matches, and its default is deny.`,
    );
    assertWins(TF, "terraform");
  });

  test("the HCL reader keeps going after errors and always terminates", () => {
    const { body, errors } = parseHcl('resource "a" "b" {\n  x = [1, 2\n  y = )\n}\n} ]\nlocals { z = { a = 1 } }\n');
    assert.deepEqual(errors, [
      { line: 3, message: 'The list is not closed with "]".' },
      { line: 3, message: 'Unexpected ")".' },
      { line: 5, message: "A closing brace without an open block." },
      { line: 5, message: 'Expected an attribute or block, found "]".' },
    ]);
    assert.deepEqual(
      body.blocks.map((b) => [b.type, [...b.attrs.keys()]]),
      [
        ["resource", ["x", "y"]],
        ["locals", ["z"]],
      ],
    );
  });
});
