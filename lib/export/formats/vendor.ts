import { awsPrefixList } from "./aws-prefix-list";
import { awsSg } from "./aws-sg";
import { azureNsg } from "./azure-nsg";
import { checkpoint } from "./checkpoint";
import { ciscoAsa } from "./cisco-asa";
import { ciscoIos } from "./cisco-ios";
import { cloudflare } from "./cloudflare";
import { fortigate } from "./fortigate";
import { gcp } from "./gcp";
import { junosSrx } from "./junos-srx";
import { k8s } from "./k8s";
import { mikrotik } from "./mikrotik";
import { panos } from "./panos";
import { terraformAws } from "./terraform-aws";
import { windows } from "./windows";

/** Network-vendor, cloud and host firewall formats; the registry merges them with the Linux formats. */
export const vendorExporters = {
  "cisco-asa": ciscoAsa,
  "cisco-ios": ciscoIos,
  "junos-srx": junosSrx,
  panos,
  fortigate,
  checkpoint,
  "aws-sg": awsSg,
  "aws-prefix-list": awsPrefixList,
  "terraform-aws": terraformAws,
  "azure-nsg": azureNsg,
  gcp,
  cloudflare,
  windows,
  mikrotik,
  k8s,
} as const;
