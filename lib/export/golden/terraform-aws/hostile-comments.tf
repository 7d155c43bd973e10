# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination

variable "security_group_id" {
  description = "ID of the security group that receives these ingress rules"
  type        = string
}

locals {
  allowlist_ipv4 = {
    "192.0.2.1/32" = "US =HYPERLINK(http://evil.example,x)"
    "192.0.2.2/32" = "EU -2+3, quote backslash single newline; semi # hash"
  }
}

resource "aws_vpc_security_group_ingress_rule" "allowlist_ipv4_443" {
  for_each = local.allowlist_ipv4

  security_group_id = var.security_group_id
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = each.value
}
