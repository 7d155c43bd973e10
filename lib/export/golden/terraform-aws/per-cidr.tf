# Freshworks full allowlist, 28 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination

variable "security_group_id" {
  description = "ID of the security group that receives these ingress rules"
  type        = string
}

locals {
  freshworks_ipv4 = {
    "3.71.140.232/32"   = "EU Freshchat, Freddy Self-service"
    "3.74.148.8/32"     = "EU Freshchat, Freddy Self-service"
    "3.74.148.9/32"     = "EU Freshchat, Freddy Self-service"
    "3.74.148.10/32"    = "EU Freshchat, Freddy Self-service"
    "3.74.148.11/32"    = "EU Freshchat, Freddy Self-service"
    "18.184.146.22/32"  = "EU Freshchat, Freddy Self-service"
    "18.194.170.216/32" = "EU Freshchat, Freddy Self-service"
    "18.197.127.133/32" = "EU Freshchat, Freddy Self-service"
    "18.208.240.77/32"  = "US Freshchat, Freddy Self-service"
    "34.231.139.135/32" = "US Freshchat, Freddy Self-service"
    "34.231.245.167/32" = "US Freshchat, Freddy Self-service"
    "44.206.73.232/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.233/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.234/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.235/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.236/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.237/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.238/32"  = "US Freshchat, Freddy Self-service"
    "44.206.73.239/32"  = "US Freshchat, Freddy Self-service"
    "52.1.32.88/32"     = "US Freshchat, Freddy Self-service"
    "52.1.37.96/32"     = "US Freshchat, Freddy Self-service"
    "52.29.254.13/32"   = "EU Freshchat, Freddy Self-service"
    "52.57.253.205/32"  = "EU Freshchat, Freddy Self-service"
    "52.201.75.8/32"    = "US Freshchat, Freddy Self-service"
  }

  freshworks_ipv6 = {
    "2406:da00:ff00::/48"      = "US Freshchat, Freddy Self-service"
    "2600:1f18:4c12:9a00::/56" = "US Freshchat, Freddy Self-service"
    "2a05:d014:1c8::/64"       = "EU Freshchat"
    "2a05:d014:1c8:1::/64"     = "EU Freshchat"
  }
}

resource "aws_vpc_security_group_ingress_rule" "freshworks_ipv4_443" {
  for_each = local.freshworks_ipv4

  security_group_id = var.security_group_id
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = each.value
}

resource "aws_vpc_security_group_ingress_rule" "freshworks_ipv6_443" {
  for_each = local.freshworks_ipv6

  security_group_id = var.security_group_id
  cidr_ipv6         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = each.value
}
