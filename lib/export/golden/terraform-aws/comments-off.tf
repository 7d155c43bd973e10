variable "security_group_id" {
  description = "ID of the security group that receives these ingress rules"
  type        = string
}

locals {
  freshworks_ipv4 = toset([
    "3.71.140.232/32",
    "3.74.148.8/30",
    "18.184.146.22/32",
    "18.194.170.216/32",
    "18.197.127.133/32",
    "18.208.240.77/32",
    "34.231.139.135/32",
    "34.231.245.167/32",
    "44.206.73.232/29",
    "52.1.32.88/32",
    "52.1.37.96/32",
    "52.29.254.13/32",
    "52.57.253.205/32",
    "52.201.75.8/32",
  ])

  freshworks_ipv6 = toset([
    "2406:da00:ff00::/48",
    "2600:1f18:4c12:9a00::/56",
    "2a05:d014:1c8::/63",
  ])
}

resource "aws_vpc_security_group_ingress_rule" "freshworks_ipv4_443" {
  for_each = local.freshworks_ipv4

  security_group_id = var.security_group_id
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "freshworks_ipv6_443" {
  for_each = local.freshworks_ipv6

  security_group_id = var.security_group_id
  cidr_ipv6         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
