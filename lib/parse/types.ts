import type { Range, Prefix } from "../ip/types";

export type Action = "allow" | "deny";
/** Direction of traffic a rule applies to, seen from the protected host/network. */
export type Direction = "in" | "out" | "unknown";

/** Inclusive port range; a single port is { from: p, to: p }. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/**
 * What a parser extracts: one address term of one rule (a rule with three sources gives three entries).
 * Entries are emitted in EVALUATION ORDER: the diff applies first-match semantics over them
 * (for unordered, allow-only formats this is simply the union).
 */
export interface Entry {
  /** 1-based line where the address itself appears (the line the UI highlights). */
  readonly line: number;
  /** That line's text, trimmed. */
  readonly text: string;
  /** The address token as written, e.g. "13.232.152.*" or "10.0.0.0 0.0.0.255". */
  readonly token: string;
  /** Every address the term matches. */
  readonly range: Range;
  /** How the addresses were written. "any" is 0.0.0.0/0 or ::/0 written as a keyword. */
  readonly kind: "address" | "cidr" | "range" | "wildcard" | "any";
  /** Set when written as a prefix: the prefix exactly as written (host bits kept). */
  readonly prefix?: Prefix;
  readonly action: Action;
  readonly direction: Direction;
  /** Lower-case protocol name ("tcp", "udp", "icmp", …); undefined means any protocol. */
  readonly protocol?: string;
  /** Destination ports; undefined means any port. */
  readonly ports?: readonly PortRange[];
  /** Object/group names the address was reached through, outermost first (e.g. ["FRESHWORKS", "FW-US"]). */
  readonly via?: readonly string[];
  /** 1-based line of the rule that used this address, when different from `line` (objects defined elsewhere). */
  readonly ruleLine?: number;
  /** Free text kept with the entry (CSV extra columns, trailing comments, object descriptions). */
  readonly comment?: string;
  /**
   * Index into ParseOutput.path.contexts: the place on the path (chain, ACL, rulebase, server block) the rule sits in.
   * Absent means context 0; a parse without `path` has one implicit context whose fall-through is deny.
   */
  readonly context?: number;
  /**
   * Set when a condition of the rule can never hold for a new inbound TCP connection (a SYN) from the Internet:
   * the rule never matches it and decides nothing (e.g. "only ESTABLISHED,RELATED connections", "only on interface
   * docker0", "inactive"). The text says which condition, for the verdict and the trace.
   */
  readonly unmet?: string;
  /**
   * Conditions of the rule the verdict reads as met for a first SYN, but that tell it apart from a rule without them:
   * a rate limit ("--limit 5/min"), an ICMP type, a destination ("-d 10.0.0.5"). Two rules with different qualifiers
   * are not duplicates, and an allow with one does not make another allow inside it redundant (above the limit, or to
   * another destination, the other one still decides).
   */
  readonly qualifier?: string;
  /**
   * The destination addresses the rule is limited to, when it names some (absent: any, or this host's own address):
   * "-d 10.0.0.5", "ip daddr …", an extended ACE's destination. The diff reads them against the catalog: a rule only
   * to published NAT IPs (source and destination swapped) is never met, since the vendor connects from them.
   */
  readonly destination?: Destination;
  /**
   * GCP, Azure NSG: the rule's priority number (lower is evaluated first). A missing delta reads it to place its
   * allows ahead of the deny that blocks a missing entry, and to pick free numbers.
   */
  readonly priority?: number;
}

/** What an Entry's destination match names: the text as written, and its addresses. */
export interface Destination {
  readonly token: string;
  readonly ranges: readonly Range[];
}

/** Which way the protected service sits behind the device: the device itself (INPUT) or a host behind it (FORWARD). */
export type PathKind = "input" | "forward";

/** What a caller tells a parser about the path, overriding what the parser would detect. */
export interface ParseOptions {
  readonly path?: PathKind;
  /** The Internet-facing interface, zone or interface list, as the config names it. */
  readonly ingress?: string;
  /** The protected service's TCP port (the diff's port): web-server formats put only the server listening on it on the path. */
  readonly port?: number;
}

/**
 * One place a new inbound connection crosses on its way to the service (iptables INPUT, one nftables base chain, the
 * ACL bound inbound on the outside interface, the nginx server listening on the port …), or a place it does not cross
 * (listed so the user sees why its rules do not count).
 */
export interface PathContext {
  /** How the config names it: "filter INPUT", "inet filter input (hook input, priority 0)", "ACL OUTSIDE_IN in on outside". */
  readonly name: string;
  /** 1-based line that declares it (0 when implied, e.g. a built-in chain the paste never names). */
  readonly line: number;
  readonly text: string;
  /** What happens to a connection no rule of this context decides: the chain policy, the implicit deny … */
  readonly fallthrough: "allow" | "deny";
  /** Whether the connection crosses this context. Every on-path context must let it through. */
  readonly onPath: boolean;
  /** One sentence: why it is (or is not) on the path. */
  readonly reason: string;
  /** Only connections of this address family cross it (an nftables table of family ip or ip6); absent: both. */
  readonly family?: 4 | 6;
  /** The named rule list this context begins with, when an export can add rules to it in place (a bound ACL). */
  readonly list?: RuleList;
}

/**
 * A named, ordered rule list bound on the path, as the device numbers its rules: what a missing-delta export needs to
 * put its permits inside it, ahead of the rule that denies the missing entries (a new list bound nowhere filters
 * nothing, and a rule after an explicit deny is never met).
 */
export interface RuleList {
  /**
   * "asa-acl": positions are `access-list NAME line N` numbers (remarks take one too); "ios-acl": an extended IPv4
   * ACL's sequence numbers (remarks left out); "junos-policies": the security policies of one zone pair (positions
   * are their 1-based order in it, each rule has its policy name; the global policies after them are not in it);
   * "fortigate-policies": a VDOM's firewall policies in list order (positions 1-based in it), one row per srcaddr /
   * srcaddr6 line (the line its entries name), each with its policy id as name;
   * "mikrotik-chain": the RouterOS filter chain on the path, input or forward (positions are its rules' 1-based order);
   * "k8s-namespace": the namespace of the NetworkPolicies on the path (no rules: policies add up, unordered);
   * "aws-sg-inline": the Terraform aws_security_group (its resource name) whose inline ingress blocks decide.
   */
  readonly kind:
    | "asa-acl"
    | "ios-acl"
    | "junos-policies"
    | "fortigate-policies"
    | "mikrotik-chain"
    | "k8s-namespace"
    | "aws-sg-inline";
  /** The ACL; for Junos the zone pair, "from-zone untrust to-zone trust". */
  readonly name: string;
  /** Where it is bound: "in interface outside", "global" (ASA), "in on GigabitEthernet0/0" (IOS), the zone pair (Junos). */
  readonly boundOn: string;
  /** Junos: the zone pair as the config spells it (`insert security policies from-zone FROM to-zone TO …`). */
  readonly zones?: { readonly from: string; readonly to: string };
  /**
   * Every line of the list in device order: its 1-based paste line, its position on the device and its text; Junos:
   * the policy's name (what `insert … before policy NAME` names).
   */
  readonly rules: readonly {
    readonly line: number;
    readonly position: number;
    readonly text: string;
    readonly name?: string;
  }[];
}

export interface PathInfo {
  /** In the order the connection crosses them; off-path contexts anywhere. */
  readonly contexts: readonly PathContext[];
  /** The path that was read (detected or given). */
  readonly kind?: PathKind;
  readonly ingress?: string;
  /** One line for the top of the results: what was assumed, and how to override it. */
  readonly assumption?: string;
}

export type FindingKind =
  | "invalid" // a line that should hold an address but does not parse
  | "ambiguous" // leading zeros, shorthand IPv4 … : reported, never guessed
  | "not-understood" // a line inside a recognised format that the parser does not understand
  | "undefined-reference" // an object/group name that is not defined in the paste
  | "reference-loop" // groups that include each other
  | "unused-object" // an object defined but used by no allow rule, when rules exist
  | "hostname" // a DNS name where an address was expected (cannot be checked)
  | "negation" // a negated match the parser could not express exactly
  | "note"; // informational (e.g. "objects only, read as the allowlist")

/** A line-level problem or remark. Parsers never throw: every bad line becomes a Finding. */
export interface Finding {
  readonly line: number;
  readonly text: string;
  readonly kind: FindingKind;
  readonly message: string;
}

export type FormatId =
  | "plain"
  | "csv"
  | "iptables"
  | "nftables"
  | "ipset"
  | "cisco-asa"
  | "cisco-ios"
  | "panos"
  | "fortigate"
  | "junos"
  | "aws-sg"
  | "aws-prefix-list"
  | "azure-nsg"
  | "gcp"
  | "nginx"
  | "apache"
  | "haproxy"
  | "ufw"
  | "firewalld"
  | "junos-hierarchy"
  | "cloudflare"
  | "allowlist-json"
  | "windows"
  | "mikrotik"
  | "k8s"
  | "terraform"
  | "checkpoint"
  | "pfsense"
  | "nftables-json"
  | "panos-xml";

export interface ParseOutput {
  readonly format: FormatId;
  readonly entries: readonly Entry[];
  readonly findings: readonly Finding[];
  /** Number of lines in the input (a trailing newline does not add a line). */
  readonly lineCount: number;
  /** Report-level remarks, e.g. "The paste holds address objects but no rules: read as the allowlist itself." */
  readonly notes: readonly string[];
  /** The contexts of the path, when the format has more than one place rules live in; absent: one implicit context. */
  readonly path?: PathInfo;
}

export interface Parser {
  readonly id: FormatId;
  readonly label: string;
  /**
   * Confidence 0..1 that `text` is in this format, from cheap signals only (it is called on every paste).
   * Plain returns a low constant so it is the fallback.
   */
  detect(text: string): number;
  /** Never throws on any input; linear in the input size. */
  parse(text: string, options?: ParseOptions): ParseOutput;
}
