import type { Parser } from "../types";
import { apacheParser } from "./apache";
import { awsPrefixListParser, awsSecurityGroupParser } from "./aws";
import { azureNsgParser } from "./azure";
import { gcpParser } from "./gcp";
import { haproxyParser } from "./haproxy";
import { iptablesParser } from "./iptables";
import { ipsetParser } from "./ipset";
import { nftablesParser } from "./nftables";
import { nginxParser } from "./nginx";

/** iptables, nftables, ipset, nginx, Apache, HAProxy and cloud JSON (AWS, Azure, GCP) parsers. */
export const linuxParsers: readonly Parser[] = [
  iptablesParser,
  nftablesParser,
  ipsetParser,
  nginxParser,
  apacheParser,
  haproxyParser,
  awsSecurityGroupParser,
  awsPrefixListParser,
  azureNsgParser,
  gcpParser,
];
