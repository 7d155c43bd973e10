/**
 * Terraform firewall resources (HCL), with exact entries and verdicts. Resource arguments from the provider docs:
 * registry.terraform.io/providers/hashicorp/aws (aws_security_group, aws_vpc_security_group_ingress_rule),
 * hashicorp/azurerm (azurerm_network_security_rule), hashicorp/google (google_compute_firewall).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseTerraform } from "./terraform";
import { parseHcl } from "./hcl";
import { detectFormat } from "../registry";
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

  // Dynamic blocks (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks) and variable
  // defaults (https://developer.hashicorp.com/terraform/language/values/variables) are what Terraform applies; an
  // aws_ec2_managed_prefix_list of the paste gives its entries
  // (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#prefix_list_ids).
  // They were dropped silently: the IPs read as missing with no finding.
  test("dynamic blocks, variable defaults and prefix lists of the paste are read; other references are findings", () => {
    const tf = `variable "fw" {
  default = ["52.1.37.96/32"]
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.fw
  }
  dynamic "ingress" {
    for_each = ["34.231.139.135/32"]
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.fw.id, "pl-0abc"]
    security_groups = ["sg-1"]
  }
}

resource "aws_ec2_managed_prefix_list" "fw" {
  name           = "freshworks"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = "44.206.73.232/29"
  }
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(pathRows(out), {
      entries: [
        [2, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 7, "52.1.37.96/32", "", 0, ""],
        [14, "34.231.139.135", "cidr", "allow", "in", "tcp", "443", "", 15, "34.231.139.135/32", "", 0, ""],
        [36, "44.206.73.232/29", "cidr", "allow", "in", "tcp", "443", "", 22, "44.206.73.232/29", "", 0, ""],
      ],
      findings: [
        [
          11,
          "note",
          "var.fw is read at its default: a value given with -var, a .tfvars file or TF_VAR_fw replaces it.",
        ],
        [
          26,
          "undefined-reference",
          "Prefix list pl-0abc is not in this paste (paste its aws_ec2_managed_prefix_list or its entries to check them).",
        ],
        [
          27,
          "undefined-reference",
          "security_groups names security groups: their members are AWS resources, not published addresses, so it allows none of them.",
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "34.231.139.135"), "34.231.139.135 → TCP 443: allowed by line 14.");
    assert.equal(verdict(out, "44.206.73.236"), "44.206.73.236 → TCP 443: allowed by line 36.");
  });

  // A prefix list's entries written with a dynamic block, as one writes them from a list
  // (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_managed_prefix_list#entry):
  // only literal entry blocks were read, so the list read as empty and its rule allowed nothing, without a word.
  // The first three resources are a probe's file, applied with Terraform 1.11 and the AWS provider 5.100.
  test("a prefix list's dynamic entry blocks are read; an entry whose cidr is not read is a finding", () => {
    const tf = `locals {
  freshworks_au = [
    "3.105.197.171/32",
    "13.210.157.231/32",
    "54.206.10.178/32",
    "3.104.16.220/32",
    "13.238.97.24/32",
    "13.238.188.219/32",
    "3.26.254.196/30",
  ]
}

resource "aws_ec2_managed_prefix_list" "freshworks_au" {
  name           = "freshworks-au"
  address_family = "IPv4"
  max_entries    = 10

  dynamic "entry" {
    for_each = local.freshworks_au
    content {
      cidr        = entry.value
      description = "Freshworks AU"
    }
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_vpc_security_group_ingress_rule" "freshworks_au" {
  security_group_id = aws_security_group.web.id
  prefix_list_id    = aws_ec2_managed_prefix_list.freshworks_au.id
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

variable "office" {}

resource "aws_ec2_managed_prefix_list" "other" {
  name           = "other"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = var.office
  }
  entry {
    description = "no cidr"
  }
  dynamic "entry" {
    for_each = data.aws_ip_ranges.x.cidr_blocks
    content {
      cidr = entry.value
    }
  }
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.entries.map((e) => [
        e.line,
        e.ruleLine,
        e.token,
        e.protocol,
        e.ports?.map((p) => `${p.from}-${p.to}`).join(),
      ]),
      [
        [3, 32, "3.105.197.171/32", "tcp", "443-443"],
        [4, 32, "13.210.157.231/32", "tcp", "443-443"],
        [5, 32, "54.206.10.178/32", "tcp", "443-443"],
        [6, 32, "3.104.16.220/32", "tcp", "443-443"],
        [7, 32, "13.238.97.24/32", "tcp", "443-443"],
        [8, 32, "13.238.188.219/32", "tcp", "443-443"],
        [9, 32, "3.26.254.196/30", "tcp", "443-443"],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          47,
          "not-understood",
          "An entry of prefix list other whose cidr is not a literal, a local or a variable's default: not read.",
        ],
        [49, "not-understood", "An entry of prefix list other without a cidr: not read."],
        [
          52,
          "not-understood",
          'dynamic "entry" iterates over something other than a literal, a local or a variable\'s default: its entry blocks are not read.',
        ],
      ],
    );
    assert.equal(verdict(out, "3.26.254.198"), "3.26.254.198 → TCP 443: allowed by line 9.");
  });

  // The API gives an ingress rule with no source ranges, tags or service accounts the source 0.0.0.0/0
  // (https://cloud.google.com/firewall/docs/firewalls#sources_for_rules; the provider passes it through:
  // https://github.com/hashicorp/terraform-provider-google/issues/6789). This deny blocked nothing before.
  test("a google_compute_firewall without source_ranges matches 0.0.0.0/0; one with source_tags only matches no address", () => {
    const tf = `resource "google_compute_firewall" "deny_443" {
  name     = "deny-443"
  network  = "default"
  priority = 500
  deny {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "tags" {
  name        = "tags"
  network     = "default"
  priority    = 100
  source_tags = ["lb"]
  deny {
    protocol = "all"
  }
}

resource "google_compute_firewall" "allow" {
  name          = "allow"
  network       = "default"
  priority      = 400
  source_ranges = ["52.1.37.96/32"]
  dynamic "allow" {
    for_each = { tcp = ["443"] }
    iterator = r
    content {
      protocol = r.key
      ports    = r.value
    }
  }
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(pathRows(out), {
      entries: [
        [25, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 29, "52.1.37.96/32", "allow", 0, ""],
        [1, "0.0.0.0/0", "any", "deny", "in", "tcp", "443", "", 5, "0.0.0.0/0 (no source_ranges)", "deny_443", 0, ""],
      ],
      findings: [
        [
          15,
          "undefined-reference",
          'Rule "tags" also matches source_tags: they are not resolved (they name VMs, not published addresses).',
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 25.");
    assert.equal(verdict(out, "52.1.32.88"), `52.1.32.88 → TCP 443: blocked by line 1 in ${CTX}.`);
  });

  // The attribute form of inline rules (https://developer.hashicorp.com/terraform/language/attr-as-blocks) was dropped
  // silently; an Azure rule limited to source port 80 counted as allowing (the NSG JSON reader already says the
  // sender's ephemeral port never meets it), while 1024-65535 holds every port a client picks.
  test("ingress = [{…}] is read; Azure source ports other than * or the whole ephemeral range are never met", () => {
    const tf = `resource "aws_security_group" "web" {
  name = "web"
  ingress = [
    {
      from_port        = 443
      to_port          = 443
      protocol         = "tcp"
      cidr_blocks      = ["52.1.37.96/32"]
      ipv6_cidr_blocks = []
      security_groups  = []
      self             = false
    }
  ]
}

resource "azurerm_network_security_rule" "sp80" {
  name                       = "sp80"
  priority                   = 100
  direction                  = "Inbound"
  access                     = "Allow"
  protocol                   = "Tcp"
  source_port_range          = "80"
  destination_port_range     = "443"
  source_address_prefix      = "18.208.240.77"
  destination_address_prefix = "*"
}

resource "azurerm_network_security_rule" "ephemeral" {
  name                       = "ephemeral"
  priority                   = 110
  direction                  = "Inbound"
  access                     = "Allow"
  protocol                   = "Tcp"
  source_port_ranges         = ["1024-49151", "49152-65535"]
  destination_port_range     = "443"
  source_address_prefix      = "52.1.32.88"
  destination_address_prefix = "*"
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(pathRows(out).entries, [
      [
        24,
        "18.208.240.77",
        "address",
        "allow",
        "in",
        "tcp",
        "443",
        "",
        16,
        "18.208.240.77",
        "sp80",
        0,
        "only source port 80 (a client's source port is ephemeral)",
      ],
      [36, "52.1.32.88", "address", "allow", "in", "tcp", "443", "", 28, "52.1.32.88", "ephemeral", 0, ""],
      [8, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 4, "52.1.37.96/32", "", 0, ""],
    ]);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 8.");
    assert.match(verdict(out, "18.208.240.77"), /blocked/);
  });

  // azurerm declares security_rule with ConfigMode Attr ("List of objects":
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_group), aws its
  // network ACL's ingress and egress too: `security_rule = [{ … }]` is valid, and was dropped without a word. The NSG is
  // a probe's file, applied with Terraform 1.11; in that form every argument is written, the unset ones as "" or [].
  test("security_rule = [{…}] and a network ACL's ingress = [{…}] are read; one not a list is a finding", () => {
    const tf = `resource "azurerm_network_security_group" "web" {
  name                = "nsg-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  security_rule = [
    {
      name                                       = "Allow-Freshworks-EU"
      priority                                   = 300
      direction                                  = "Inbound"
      access                                     = "Allow"
      protocol                                   = "Tcp"
      source_port_range                          = "*"
      source_port_ranges                         = []
      destination_port_range                     = "443"
      destination_port_ranges                    = []
      source_address_prefix                      = ""
      source_address_prefixes                    = ["18.184.146.22/32", "18.197.127.133/32", "3.71.140.232/32", "52.29.254.13/32", "52.57.253.205/32", "18.194.170.216/32", "3.74.148.8/30"]
      destination_address_prefix                 = "*"
      destination_address_prefixes               = []
      source_application_security_group_ids      = []
      destination_application_security_group_ids = []
      description                                = "Freshworks EU"
    }
  ]
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.ruleLine, e.token, e.action, e.protocol, e.comment]),
      ["18.184.146.22/32", "18.197.127.133/32", "3.71.140.232/32", "52.29.254.13/32", "52.57.253.205/32"]
        .concat(["18.194.170.216/32", "3.74.148.8/30"])
        .map((token) => [18, 7, token, "allow", "tcp", "Allow-Freshworks-EU"]),
    );
    assert.equal(verdict(out, "3.74.148.10"), "3.74.148.10 → TCP 443: allowed by line 18.");

    const acl = `resource "aws_network_acl" "public" {
  vpc_id = "vpc-1"
  ingress = [
    { rule_no = 100, action = "deny", protocol = "tcp", cidr_block = "52.1.32.88/32", ipv6_cidr_block = "", from_port = 443, to_port = 443, icmp_type = 0, icmp_code = 0 },
    { rule_no = 200, action = "allow", protocol = "tcp", cidr_block = "0.0.0.0/0", ipv6_cidr_block = "", from_port = 443, to_port = 443, icmp_type = 0, icmp_code = 0 },
  ]
}

resource "azurerm_network_security_group" "other" {
  name          = "nsg-other"
  security_rule = var.rules
}
`;
    const read = parseTerraform(acl);
    assert.deepEqual(
      read.findings.map((f) => [f.line, f.kind, f.message]),
      [[11, "not-understood", "security_rule is not a literal list of rules: not read."]],
    );
    assert.equal(
      verdict(read, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 4 in Terraform firewall resources.",
    );
    assert.equal(verdict(read, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 5.");
  });

  // A module's resources are defined in its source (https://developer.hashicorp.com/terraform/language/modules/syntax),
  // not in the paste: a probe's file using terraform-aws-modules/security-group read as an empty list, without a word.
  test("a module block is a finding naming its source; its resources are not read", () => {
    const tf = `module "webhook_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.1.0"

  name        = "webhook"
  description = "Freshworks webhooks"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress_cidr_blocks = ["52.1.37.96/32", "52.1.32.88/32", "18.208.240.77/32", "52.201.75.8/32", "34.231.139.135/32", "34.231.245.167/32", "44.206.73.232/29"]
  ingress_rules       = ["https-443-tcp"]
}
`;
    assert.equal(detectFormat(tf).format, "terraform");
    const out = parseTerraform(tf);
    assert.deepEqual(pathRows(out), {
      entries: [],
      findings: [
        [
          1,
          "undefined-reference",
          'Module "webhook_sg" (source terraform-aws-modules/security-group/aws): the resources it creates are defined in its source, not in this paste, and are not read. Paste the output of terraform show -json, which lists them with their values, to check them.',
        ],
      ],
      notes: [],
    });
  });

  // A byte order mark and CRLF line ends (a file saved on Windows): the BOM was read as a stray token and took the
  // first resource with it.
  test("a leading byte order mark and CRLF line ends are read like any other file", () => {
    const tf =
      '\ufeffresource "aws_security_group" "web" {\r\n  ingress {\r\n    from_port   = 443\r\n    to_port     = 443\r\n    protocol    = "tcp"\r\n    cidr_blocks = ["52.1.37.96/32"]\r\n  }\r\n}\r\n';
    const out = parseTerraform(tf);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6.");
  });

  // "${var.ip}/32" is the usual way to write a host route from a variable
  // (https://developer.hashicorp.com/terraform/language/expressions/strings#interpolation): it was an invalid address.
  test("interpolations of locals and variable defaults are evaluated; others are findings", () => {
    const tf = `variable "fw_ip" {
  default = "52.1.37.96"
}
locals {
  ips = ["52.1.32.88", "18.208.240.77"]
}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["\${var.fw_ip}/32", "\${local.ips[1]}/32", "\${var.nope}/32"]
  }
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.entries.map((e) => e.token),
      ["52.1.37.96/32", "18.208.240.77/32"],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          12,
          "not-understood",
          '"${var.nope}/32" interpolates something other than a local or a variable with a default: not read.',
        ],
        [
          12,
          "note",
          "var.fw_ip is read at its default: a value given with -var, a .tfvars file or TF_VAR_fw_ip replaces it.",
        ],
      ],
    );
  });

  // Two NSGs (the subnet's and the NIC's) must each allow the connection
  // (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works); their rules were merged
  // into one priority list, so the subnet NSG's allow hid the NIC NSG's deny at the same priority.
  test("several NSGs, security groups or networks: each is its own place on the path; --ingress names them", () => {
    const tf = `resource "azurerm_network_security_group" "subnet" {
  name = "subnet-nsg"
  security_rule {
    name                       = "allow-fw"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "52.1.37.96"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "nic_deny" {
  name                        = "deny-fw"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "52.1.37.96"
  destination_address_prefix  = "*"
  network_security_group_name = azurerm_network_security_group.nic.name
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["NSG subnet-nsg", true],
        ["NSG nic", true],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: blocked by line 24 in NSG nic.");
    const subnet = parseTerraform(tf, { ingress: "subnet-nsg" });
    assert.equal(verdict(subnet, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 11.");

    const aws = `resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["52.1.37.96/32"]
  }
}

resource "aws_security_group_rule" "bastion_all" {
  type              = "ingress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.bastion.id
}
`;
    const both = parseTerraform(aws);
    assert.deepEqual(
      both.path?.contexts.map((c) => [c.name, c.onPath]),
      [["security groups web, bastion", true]],
    );
    assert.equal(verdict(both, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 15.");
    const web = parseTerraform(aws, { ingress: "web" });
    assert.deepEqual(
      web.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["security groups web", true],
        ["the other security groups", false],
      ],
    );
    assert.match(verdict(web, "52.1.32.88"), /blocked/);
    assert.equal(verdict(web, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6.");

    const gcp = `resource "google_compute_firewall" "prod" {
  name          = "prod-allow"
  network       = google_compute_network.prod.name
  source_ranges = ["52.1.37.96/32"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "lab" {
  name          = "lab-allow"
  network       = "projects/acme/global/networks/lab"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
  }
}

resource "google_compute_firewall" "lab_ssh" {
  name          = "lab-ssh"
  network       = "projects/acme/global/networks/lab"
  source_ranges = ["35.235.240.0/20"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
`;
    const net = parseTerraform(gcp, { ingress: "prod" });
    assert.deepEqual(
      net.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["VPC network prod", true],
        ["VPC network lab", false],
      ],
    );
    assert.match(verdict(net, "52.1.32.88"), /blocked/);
    assert.deepEqual(
      parseTerraform(gcp).path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["VPC network prod", false],
        ["VPC network lab", true],
      ],
    );
  });
  // A standalone rule names its NSG by "the name of the Network Security Group"
  // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_rule): a
  // literal "web-nsg" and azurerm_network_security_group.web.name are the same NSG, whose rules Azure evaluates
  // together by priority. They were read as two NSGs that must each allow, so the deny at 900 decided in one of them
  // although the allow at 300 comes first. Likewise a GCP network named by its resource or by its name.
  test("a rule naming its NSG or network by name is read with the rules naming the resource", () => {
    const rule = (name: string, priority: number, access: string, source: string, nsg: string) => `
resource "azurerm_network_security_rule" "${name}" {
  name                        = "${name}"
  priority                    = ${priority}
  direction                   = "Inbound"
  access                      = "${access}"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "${source}"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = ${nsg}
}
`;
    const tf = `resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = "eastus"
  resource_group_name = "rg"
}
${rule("deny-all", 900, "Deny", "*", "azurerm_network_security_group.web.name")}${rule("allow-fw", 300, "Allow", "52.1.37.96", '"web-nsg"')}`;
    const out = parseTerraform(tf);
    assert.equal(out.path?.contexts.length, 1);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 29.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 7 in Terraform firewall resources.",
    );

    const gcp = `resource "google_compute_network" "main" {
  name = "main-vpc"
}

resource "google_compute_firewall" "deny" {
  name          = "deny-443"
  network       = google_compute_network.main.name
  priority      = 900
  source_ranges = ["0.0.0.0/0"]
  deny {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "allow" {
  name          = "allow-fw"
  network       = "projects/acme/global/networks/main-vpc"
  priority      = 800
  source_ranges = ["52.1.37.96/32"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = google_compute_network.main.self_link
  source_ranges = ["35.235.240.0/20"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
`;
    const net = parseTerraform(gcp);
    assert.equal(net.path?.contexts.length, 1);
    assert.equal(verdict(net, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 20.");
    assert.equal(
      verdict(net, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 9 in Terraform firewall resources.",
    );
  });
  // count makes count.index 0…N-1 and no instance at all when it is 0
  // (https://developer.hashicorp.com/terraform/language/meta-arguments/count); "c ? a : b" picks a branch
  // (https://developer.hashicorp.com/terraform/language/expressions/conditionals). count was not read: a resource
  // with count = 0 (or var.enabled ? 1 : 0, default false) was read as created, so its deny blocked what the NSG
  // lets in, and var.cidrs[count.index] was "not read", so the allows of a count loop were reported missing.
  test("count: count.index and element() pick each instance's item; count = 0 or a false condition creates none", () => {
    const tf = `variable "cidrs" {
  type    = list(string)
  default = ["52.1.37.96/32", "52.1.32.88/32"]
}

variable "enable_deny" {
  default = false
}

resource "aws_security_group_rule" "https" {
  count             = length(var.cidrs)
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "6"
  cidr_blocks       = [var.cidrs[count.index]]
  security_group_id = "sg-1"
}

resource "aws_security_group_rule" "alt" {
  count             = 2
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = [element(["18.208.240.77/32", "52.201.75.8/32"], count.index)]
  security_group_id = "sg-1"
}

resource "azurerm_network_security_rule" "legacy_deny" {
  count                       = var.enable_deny ? 1 : 0
  name                        = "deny-all"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  network_security_group_name = "web-nsg"
}

resource "azurerm_network_security_rule" "allow" {
  name                        = "allow-fw"
  priority                    = 300
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "3.74.148.8/30"
  destination_address_prefix  = "*"
  network_security_group_name = "web-nsg"
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          11,
          "note",
          "var.cidrs is read at its default: a value given with -var, a .tfvars file or TF_VAR_cidrs replaces it.",
        ],
        [31, "note", "count is 0: the resource is not created, not read."],
        [
          31,
          "note",
          "var.enable_deny is read at its default: a value given with -var, a .tfvars file or TF_VAR_enable_deny replaces it.",
        ],
      ],
    );
    const aws = parseTerraform(tf.slice(0, tf.indexOf('resource "azurerm')));
    for (const ip of ["52.1.37.96", "52.1.32.88"])
      assert.equal(verdict(aws, ip), `${ip} → TCP 443: allowed by line 3.`);
    for (const ip of ["18.208.240.77", "52.201.75.8"])
      assert.equal(verdict(aws, ip), `${ip} → TCP 443: allowed by line 26.`);
    // The same lines, the AWS resources blanked (a second device on the path would decide too).
    const start = tf.indexOf('resource "aws');
    const end = tf.indexOf('resource "azurerm');
    const azure = parseTerraform(tf.slice(0, start) + tf.slice(start, end).replace(/[^\n]/g, "") + tf.slice(end));
    assert.equal(verdict(azure, "3.74.148.9"), "3.74.148.9 → TCP 443: allowed by line 52.");
    const many = parseTerraform(tf.replace("count             = 2", "count             = 1000000"));
    assert.deepEqual(
      many.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [
        [
          21,
          "count is not a number (up to 10000), a variable's default, a local or length() of a list: the resource is read as created once.",
        ],
        [26, "An address that is not a literal string or a local: not read."],
      ],
    );
  });
  // google_compute_firewall's protocol is "one of the well known protocol strings … or the IP protocol number"
  // (https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall): a deny of
  // protocol "6" is a deny of TCP, but it was read as another protocol and blocked nothing. target_tags limit the rule
  // to tagged VMs (https://cloud.google.com/firewall/docs/firewalls#rule_assignment): now said, as the gcloud reader does.
  test("google_compute_firewall: a protocol number is the protocol; target tags get a note", () => {
    const tf = `resource "google_compute_firewall" "deny" {
  name          = "deny-tcp"
  network       = "default"
  priority      = 500
  source_ranges = ["52.1.37.96/32"]
  target_tags   = ["web"]
  deny {
    protocol = "6"
  }
}

resource "google_compute_firewall" "allow" {
  name          = "allow-fw"
  network       = "default"
  priority      = 1000
  source_ranges = ["52.1.37.96/32", "52.1.32.88/32"]
  target_service_accounts = ["web@acme.iam.gserviceaccount.com", "api@acme.iam.gserviceaccount.com"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}
`;
    const out = parseTerraform(tf);
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: blocked by line 5 in ${CTX}.`);
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 16.");
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1,
          "note",
          'Rule "deny" applies only to VMs with the network tag web: it is read as applying to the service\'s VM. If that VM does not have it, this rule does not block it.',
        ],
        [
          12,
          "note",
          'Rule "allow" applies only to VMs with one of the service accounts web@acme.iam.gserviceaccount.com, api@acme.iam.gserviceaccount.com: it is read as applying to the service\'s VM. If that VM does not have any of them, this rule does not let the connection in.',
        ],
      ],
    );
  });
  // An azurerm rule's destination (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules)
  // limits it to connections to those addresses or NICs; an allow to another VM was counted without a word. It is
  // read as applying, with the NSG JSON reader's note.
  test("an azurerm rule to a specific destination is read as applying, with a note", () => {
    const tf = `resource "azurerm_network_security_group" "web" {
  name = "web-nsg"
  security_rule {
    name                         = "allow-vm2"
    priority                     = 100
    direction                    = "Inbound"
    access                       = "Allow"
    protocol                     = "Tcp"
    source_port_range            = "*"
    destination_port_range       = "443"
    source_address_prefix        = "52.1.37.96"
    destination_address_prefixes = ["10.0.1.5", "10.0.1.6"]
  }
  security_rule {
    name                       = "allow-vnet"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "52.1.32.88"
    destination_address_prefix = "VirtualNetwork"
  }
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          3,
          "note",
          'Rule "allow-vm2" applies only to connections to 10.0.1.5, 10.0.1.6: it is read as applying to the service. If the service is not at one of those addresses, this rule does not let the connection in.',
        ],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 11.");
  });
});

describe("terraform: locals that build lists", () => {
  const rule = (locals: string, cidrs: string) =>
    `locals {\n${locals}}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = 443\n  to_port = 443\n  protocol = "tcp"\n  cidr_blocks = ${cidrs}\n  security_group_id = "sg-1"\n}\n`;
  const read = (text: string) => {
    const out = parseTerraform(text);
    return { entries: out.entries.length, findings: out.findings.map((f) => [f.line, f.kind, f.message]) };
  };
  const unread = "An address that is not a literal string or a local: not read.";
  const chain = (depth: number, copies: number) =>
    Array.from({ length: depth }, (_, i) =>
      i === 0
        ? '  a0 = ["52.1.37.96/32", "52.1.37.97/32"]\n'
        : `  a${i} = concat(${Array(copies)
            .fill(`local.a${i - 1}`)
            .join(", ")})\n`,
    ).join("");

  test("a concat argument that is not a list is reported where it is used, the others read", () => {
    assert.deepEqual(read(rule('  a0 = ["52.1.37.96/32"]\n', 'concat(local.a0, var.extra, ["3.3.3.3/32"])')), {
      entries: 2,
      findings: [[9, "not-understood", unread]],
    });
  });

  test("locals nested past the resolver's depth are reported, not dropped unsaid", () => {
    // Eight levels resolve (256 addresses); at twelve the innermost references stay unresolved: they were dropped
    // with no finding, and the rule read as allowing nothing. One finding for the line that holds them.
    assert.deepEqual(read(rule(chain(8, 2), "local.a7")), { entries: 256, findings: [] });
    assert.deepEqual(read(rule(chain(12, 2), "local.a11")), { entries: 0, findings: [[5, "not-understood", unread]] });
  });

  test("lists are built up to a million items in all: 20 copies of the one before, 5 then 6 levels", () => {
    // 20^4 = 160,000 addresses are read (the rule's sources were appended with a spread, which overflowed the
    // stack); 20^5 is past the budget: the call is left unread, and reported.
    assert.deepEqual(
      read(rule(chain(5, 20).replace('"52.1.37.96/32", "52.1.37.97/32"', '"52.1.37.96/32"'), "local.a4")),
      { entries: 160_000, findings: [] },
    );
    assert.deepEqual(
      read(rule(chain(6, 20).replace('"52.1.37.96/32", "52.1.37.97/32"', '"52.1.37.96/32"'), "local.a5")),
      {
        entries: 0,
        findings: [[7, "not-understood", unread]],
      },
    );
  });

  // A network ACL filters the subnet's traffic before the security group: rules by rule number, lowest first, first
  // match, and the "*" rule denies the rest (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html;
  // arguments: registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl and network_acl_rule).
  test("aws_network_acl and aws_network_acl_rule: a place of their own, by rule number, deny before the security group", () => {
    const tf = `resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["52.1.37.96/32", "52.1.32.88/32", "18.208.240.77/32"]
  }
}

resource "aws_network_acl" "public" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol   = "tcp"
    rule_no    = 200
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
  ingress {
    protocol   = "-1"
    rule_no    = 100
    action     = "deny"
    cidr_block = "52.1.32.88/32"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl_rule" "block_one" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "18.208.240.77/32"
  from_port      = 443
  to_port        = 443
}
`;
    const out = parseTerraform(tf);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough]),
      [
        ["security groups web", true, "deny"],
        ["network ACL public", true, "deny"],
      ],
    );
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6, then line 16.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: blocked by line 24 in network ACL public.");
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: blocked by line 36 in network ACL public.");
    // A rule of a network ACL the paste does not define: read with the * rule, and said so.
    const alone = parseTerraform(tf.split('resource "aws_network_acl" ')[0]! + tf.split("}\n\n").slice(-1)[0]!);
    assert.deepEqual(
      alone.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          10,
          "note",
          "Network ACL public is not defined in this paste: read as holding only its rules here and the * rule that denies the rest; rules it has elsewhere are not known.",
        ],
      ],
    );
    assert.equal(
      verdict(alone, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of network ACL public matches, and its default is deny.",
    );
  });
});
