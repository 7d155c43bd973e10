import type { Parser } from "../types";
import { allowlistJsonParser } from "./allowlist-json";
import { checkpointParser } from "./checkpoint";
import { cloudflareParser } from "./cloudflare";
import { firewalldParser } from "./firewalld";
import { junosHierarchyParser } from "./junos-hierarchy";
import { k8sParser } from "./k8s";
import { mikrotikParser } from "./mikrotik";
import { nftJsonParser } from "./nft-json";
import { panosXmlParser } from "./panos-xml";
import { pfsenseParser } from "./pfsense";
import { terraformParser } from "./terraform";
import { ufwParser } from "./ufw";
import { windowsParser } from "./windows";

/** The everyday host and SMB firewalls and the remaining export formats (issue 17), in detection order. */
export const hostParsers: readonly Parser[] = [
  ufwParser,
  firewalldParser,
  junosHierarchyParser,
  cloudflareParser,
  allowlistJsonParser,
  windowsParser,
  mikrotikParser,
  k8sParser,
  terraformParser,
  checkpointParser,
  pfsenseParser,
  nftJsonParser,
  panosXmlParser,
];
