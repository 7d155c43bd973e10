import type { Prefix, Family } from "../ip/types";

export type ExportFormatId =
  | "csv"
  | "plain"
  | "json"
  | "iptables"
  | "ip6tables"
  | "nftables"
  | "ipset"
  | "ufw"
  | "firewalld"
  | "nginx"
  | "apache"
  | "haproxy"
  | "cisco-asa"
  | "cisco-ios"
  | "junos-srx"
  | "panos"
  | "fortigate"
  | "checkpoint"
  | "aws-sg"
  | "aws-prefix-list"
  | "terraform-aws"
  | "azure-nsg"
  | "gcp"
  | "cloudflare"
  | "windows"
  | "mikrotik"
  | "k8s";

/** One address block to allow, after scope/family/aggregation were applied by `prepareExport`. */
export interface ExportItem {
  /** Canonical (masked) prefix. */
  readonly prefix: Prefix;
  /** Regions and products of the published entries inside this prefix (several when aggregated). */
  readonly regions: readonly string[];
  readonly products: readonly string[];
}

export type ExportScope = "full" | "missing" | "sync";
export type Deployment = "additive" | "dedicated";

export interface PortSpec {
  readonly from: number;
  readonly to: number;
}

export interface ExportOptions {
  /** Ports to allow (TCP 443 by default); several ranges allowed. */
  readonly ports: readonly PortSpec[];
  readonly protocol: "tcp" | "udp";
  /** Destination restriction; undefined means any destination. */
  readonly destination?: Prefix;
  /** Prefix for object/group/rule/set names, e.g. "freshworks". Validated: [A-Za-z][A-Za-z0-9_-]{0,31}. */
  readonly namePrefix: string;
  /** Emit comments (region, product, catalog version) where the format allows. */
  readonly comments: boolean;
  /** Aggregate to the minimal CIDR cover (true) or keep one entry per published CIDR with its comment (false). */
  readonly aggregate: boolean;
  readonly family: "4" | "6" | "both";
  /**
   * "full": every selected entry, added where absent (re-running changes nothing, removes nothing);
   * "missing": only the entries a compared list lacks, added the same way (a delta never revokes anything);
   * "sync": the export's own objects end holding exactly the selection (adds the missing, removes the rest, says so).
   */
  readonly scope: ExportScope;
  /**
   * "additive": accept rules for the selected addresses inside the admin's existing policy, which decides
   * everything else; "dedicated": only the selected addresses may reach the port(s). Formats say which they support.
   */
  readonly deployment: Deployment;
  /** nftables additive: the admin's own table and base chain that get the accept rule and the named sets. */
  readonly nftFamily: "inet" | "ip" | "ip6";
  readonly nftTable: string;
  readonly nftChain: string;
  /**
   * A missing delta's place in the admin's own rule list, bound on the path (the compared config's inbound ACL by
   * default): the list's name, and the device position (ASA `line N`, IOS sequence number) of its first rule that
   * denies a missing entry.
   * The rules go inside that list, ahead of that rule; without a position they are appended to it. Formats that cannot
   * add to a named list refuse it (supports.target).
   */
  readonly targetAcl?: string;
  readonly targetLine?: number;
  /** IOS: the sequence number of the entry before targetLine; the new entries take the numbers between the two. */
  readonly targetAfter?: number;
  /**
   * Junos: a missing delta's zone pair (the compared config's, by default) and the policy of it that the new policy
   * goes ahead of (`insert … before policy NAME`: its first policy that denies a missing entry). Without a policy the
   * new one stays last in the pair. Formats without supports.zoneTarget refuse them.
   */
  readonly targetFromZone?: string;
  readonly targetToZone?: string;
  readonly targetPolicy?: string;
  /**
   * GCP, Azure NSG, Windows missing delta: the compared config's inbound denies that block a missing entry on the
   * port, in evaluation order (its paste line, rule name and GCP/Azure priority). GCP and Azure number the delta's
   * allows ahead of them; Windows cannot (a block rule always wins over an allow) and warns.
   */
  readonly blockingDenies?: readonly BlockingDeny[];
  /** Azure NSG missing delta: the inbound priorities the compared NSG already uses (unique per direction). */
  readonly usedPriorities?: readonly number[];
  /**
   * FortiGate missing delta: the id the new policy takes (one above the compared list's largest) and the id of the
   * compared list's first policy that denies a missing entry, which `move` puts it before.
   */
  readonly targetPolicyId?: { readonly id: number; readonly before: number };
  /** Shown in comments, e.g. "freshworks v1 (sha256:ab12…)". */
  readonly catalogLabel: string;
  /** Provider name for comments/descriptions, e.g. "Freshworks". */
  readonly provider: string;
}

/** A rule of the compared config that denies a missing entry (ExportOptions.blockingDenies). */
export interface BlockingDeny {
  readonly line: number;
  readonly name?: string;
  readonly priority?: number;
}

export interface ExportFile {
  /** Suggested file name, e.g. "freshworks-us-eu-nftables.nft". */
  readonly name: string;
  readonly mime: string;
  readonly content: string;
}

export type RenderResult =
  | { readonly ok: true; readonly files: readonly ExportFile[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

export interface Exporter {
  readonly id: ExportFormatId;
  readonly label: string;
  /** Main file extension without a dot. */
  readonly extension: string;
  readonly supports: {
    readonly families: readonly Family[];
    readonly ports: boolean; // can restrict by port
    readonly destination: boolean; // can restrict by destination
    readonly comments: boolean;
    /** Can make the device equal to the selection (scope "sync"); otherwise renderExport refuses it. */
    readonly sync?: boolean;
    /** Can express the dedicated model; otherwise renderExport refuses it. */
    readonly dedicated?: boolean;
    /** Can put the rules inside an existing named list (targetAcl, targetLine); otherwise renderExport refuses them. */
    readonly target?: boolean;
    /** Can put its policy in an existing zone pair ahead of a named policy (targetFromZone, targetToZone, targetPolicy). */
    readonly zoneTarget?: boolean;
  };
  /**
   * Pure. Refuses what it cannot express, listing every unsupported thing at once (never drops silently).
   * `items` are already filtered to the chosen family and sorted (IPv4 first).
   */
  render(items: readonly ExportItem[], options: ExportOptions, baseName: string): RenderResult;
}
