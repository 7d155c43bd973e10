import { apache } from "./apache";
import { csv } from "./csv";
import { firewalld } from "./firewalld";
import { haproxy } from "./haproxy";
import { ip6tables } from "./ip6tables";
import { ipset } from "./ipset";
import { iptables } from "./iptables";
import { json } from "./json";
import { nftables } from "./nftables";
import { nginx } from "./nginx";
import { plain } from "./plain";
import { ufw } from "./ufw";

/** Generic lists and the formats of Linux hosts and proxies (the other group is in vendor.ts). */
export const linuxExporters = {
  csv,
  plain,
  json,
  iptables,
  ip6tables,
  nftables,
  ipset,
  ufw,
  firewalld,
  nginx,
  apache,
  haproxy,
} as const;
