import type { Entry, FormatId, ParseOutput } from "../parse/types";
import { getExporter } from "./registry";
import type { BlockingDeny, ExportFormatId, ExportOptions } from "./types";

/**
 * The export format that writes what a pasted format reads: the lines to add come out in the admin's own format
 * (iptables-save in → iptables rules out). A typed table, so a new input format fails to compile until it is mapped.
 */
const EXPORT_FOR_INPUT = {
  plain: "plain",
  csv: "csv",
  iptables: "iptables",
  nftables: "nftables",
  "nftables-json": "nftables",
  ipset: "ipset",
  "cisco-asa": "cisco-asa",
  "cisco-ios": "cisco-ios",
  panos: "panos",
  "panos-xml": "panos",
  fortigate: "fortigate",
  junos: "junos-srx",
  "junos-hierarchy": "junos-srx",
  "aws-sg": "aws-sg",
  "aws-prefix-list": "aws-prefix-list",
  terraform: "terraform-aws",
  "azure-nsg": "azure-nsg",
  gcp: "gcp",
  nginx: "nginx",
  apache: "apache",
  haproxy: "haproxy",
  ufw: "ufw",
  firewalld: "firewalld",
  cloudflare: "cloudflare",
  "allowlist-json": "json",
  windows: "windows",
  mikrotik: "mikrotik",
  k8s: "k8s",
  checkpoint: "checkpoint",
  // pfSense/OPNsense aliases and URL tables take one address per line.
  pfsense: "plain",
} as const satisfies Record<FormatId, ExportFormatId>;

export function exportFormatForInput(format: FormatId): ExportFormatId {
  return EXPORT_FOR_INPUT[format];
}

/** Where a compared config says a missing delta must go (lib/diff's DeltaTarget: the bound list, its first deny). */
export interface DeltaPlacement {
  readonly kind:
    | "asa-acl"
    | "ios-acl"
    | "junos-policies"
    | "fortigate-policies"
    | "mikrotik-chain"
    | "k8s-namespace"
    | "aws-sg-inline";
  /**
   * The ACL; MikroTik: the filter chain on the path (input: the router itself, forward: a service behind it);
   * Kubernetes: the namespace of the service's pods; Terraform: the aws_security_group with inline ingress blocks.
   */
  readonly name: string;
  /** Junos: the zone pair. */
  readonly zones?: { readonly from: string; readonly to: string };
  /** Junos: `name` is the policy's (insert … before policy NAME). */
  readonly deny?: { readonly position: number; readonly after: number; readonly name?: string };
  /** FortiGate: one above the largest policy id of the list (the delta's policy takes it). */
  readonly nextId?: number;
}

/**
 * A delta exported in the compared config's own format goes into the list that config binds on the path, ahead of its
 * first deny of a missing entry, unless the options name a target themselves. The API, the CLI and the export panel
 * all default this way.
 */
export function withDeltaTarget(
  options: ExportOptions,
  format: ExportFormatId,
  listFormat: FormatId,
  target: DeltaPlacement | undefined,
): ExportOptions {
  if (target === undefined || options.scope !== "missing") return options;
  if (options.targetAcl !== undefined || options.targetFromZone !== undefined) return options;
  if (exportFormatForInput(listFormat) !== format) return options;
  const supports = getExporter(format).supports;
  if (target.kind === "junos-policies") {
    if (supports.zoneTarget !== true || target.zones === undefined) return options;
    // Junos puts a new policy last in its zone pair; insert moves it ahead of the first deny of a missing entry.
    return {
      ...options,
      targetFromZone: target.zones.from,
      targetToZone: target.zones.to,
      ...(target.deny?.name !== undefined ? { targetPolicy: target.deny.name } : {}),
    };
  }
  if (target.kind === "fortigate-policies") {
    // FortiOS appends a new policy at the end of the list; `move` puts it ahead of the first deny of a missing entry.
    const before = target.deny?.name !== undefined ? Number(target.deny.name) : NaN;
    if (format !== "fortigate" || !Number.isInteger(before) || target.nextId === undefined) return options;
    return { ...options, targetPolicyId: { id: target.nextId, before } };
  }
  if (supports.target !== true) return options;
  // RouterOS: the accept joins the compared config's chain on the path, placed ahead of that chain's rules (and so of
  // its drop) by the exporter itself; connections to the router itself cross chain input only, never forward.
  if (target.kind === "mikrotik-chain") return { ...options, targetAcl: target.name };
  // Kubernetes: a NetworkPolicy selects pods of its own namespace only; the delta's goes in the compared policies'.
  if (target.kind === "k8s-namespace") return { ...options, targetAcl: target.name };
  // Terraform: standalone rule resources conflict with a group's inline rules; the delta becomes inline blocks.
  if (target.kind === "aws-sg-inline") return { ...options, targetAcl: target.name };
  return {
    ...options,
    targetAcl: target.name,
    ...(target.deny !== undefined ? { targetLine: target.deny.position } : {}),
    // IOS numbers the new entries between the deny's sequence number and the one before it.
    ...(target.deny !== undefined && target.kind === "ios-acl" ? { targetAfter: target.deny.after } : {}),
  };
}

/** The formats whose delta reads the compared config's blocking denies (ExportOptions.blockingDenies). */
const READS_DENIES: ReadonlySet<ExportFormatId> = new Set(["gcp", "azure-nsg", "windows"]);

/**
 * A delta exported in the compared config's own format, for formats ordered by priority number (GCP, Azure NSG) or
 * where a block always wins (Windows): the config's inbound denies that block a missing entry (`denies`, lib/diff's
 * missingDelta), one per rule, and for Azure the inbound priorities already taken.
 */
export function withBlockingDenies(
  options: ExportOptions,
  format: ExportFormatId,
  parsed: ParseOutput,
  denies: readonly Entry[],
): ExportOptions {
  if (options.scope !== "missing" || !READS_DENIES.has(format) || exportFormatForInput(parsed.format) !== format)
    return options;
  const byRule = new Map<number, BlockingDeny>();
  for (const e of denies) {
    const line = e.ruleLine ?? e.line;
    if (byRule.has(line)) continue;
    byRule.set(line, {
      line,
      ...(e.comment !== undefined ? { name: e.comment } : {}),
      ...(e.priority !== undefined ? { priority: e.priority } : {}),
    });
  }
  const onPath = (e: Entry) => parsed.path === undefined || parsed.path.contexts[e.context ?? 0]?.onPath === true;
  const used = new Set<number>();
  for (const e of parsed.entries)
    if (e.direction === "in" && e.priority !== undefined && onPath(e)) used.add(e.priority);
  return {
    ...options,
    blockingDenies: [...byRule.values()],
    ...(format === "azure-nsg" ? { usedPriorities: [...used].sort((a, b) => a - b) } : {}),
  };
}
