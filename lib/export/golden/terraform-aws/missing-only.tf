# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination

variable "security_group_id" {
  description = "ID of the security group that receives these ingress rules"
  type        = string
}

locals {
  fw1_missing_ipv4 = {
    "3.74.148.10/32"   = "EU Freshchat, Freddy Self-service"
    "44.206.73.236/31" = "US Freshchat, Freddy Self-service"
    "52.1.37.96/32"    = "US Freshchat, Freddy Self-service"
  }
}

resource "aws_vpc_security_group_ingress_rule" "fw1_missing_ipv4_443" {
  for_each = local.fw1_missing_ipv4

  security_group_id = var.security_group_id
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = each.value
}
