/**
 * Terraform (HCL) firewall resources: `aws_security_group` (ingress/egress blocks), `aws_security_group_rule`,
 * `aws_vpc_security_group_ingress_rule` / `_egress_rule` (with `for_each` over `locals`, as our export writes),
 * `azurerm_network_security_rule` and `azurerm_network_security_group` `security_rule` blocks, and
 * `google_compute_firewall`. Read with the HCL subset reader in hcl.ts (see the note there on why not hcl2json).
 *
 * Semantics: AWS security groups only allow, and what no rule allows is denied
 * (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html); Azure NSG rules by priority, lowest
 * first, with DenyAllInBound last (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview);
 * GCP firewall rules by priority, deny before allow at equal priority, implied deny ingress
 * (https://cloud.google.com/firewall/docs/firewalls). Each resource type is one device; a paste mixing them is read
 * as one list in the order Azure, GCP, AWS.
 */
import type { Action, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import { type AddressTerm, type Line, countLines, finding, parsePortRange, readAddressTerm, TextLines } from "./common";
import { type HclBlock, type HclValue, parseHcl } from "./hcl";
import { anySources, pathEntry } from "./hostcommon";
import { detectHead } from "./linuxcommon";

interface Scope {
  readonly locals: ReadonlyMap<string, HclValue>;
  readonly each?: { key: HclValue; value: HclValue };
}

interface Ctx {
  readonly lines: TextLines;
  readonly findings: Finding[];
  readonly locals: Map<string, HclValue>;
}

const AWS_PROTOCOLS: Readonly<Record<string, string | undefined>> = {
  "-1": undefined,
  all: undefined,
  tcp: "tcp",
  udp: "udp",
  icmp: "icmp",
  icmpv6: "ipv6-icmp",
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "ipv6-icmp",
};

function lineAt(ctx: Ctx, n: number): Line {
  return ctx.lines.at(n);
}

const PASS_THROUGH_CALLS: ReadonlySet<string> = new Set([
  "toset",
  "tolist",
  "tomap",
  "concat",
  "distinct",
  "flatten",
  "compact",
]);

/** A value with references to locals and each.* resolved (one level of nesting at a time, no cycles followed). */
function resolve(v: HclValue | undefined, scope: Scope, seen = 0): HclValue | undefined {
  if (!v || seen > 16) return v;
  if (v.t === "ref") {
    const head = v.path[0];
    const name = v.path[1];
    if (head === "local" && name !== undefined) return pick(resolve(scope.locals.get(name), scope, seen + 1), v.path);
    if (head === "each" && scope.each && (name === "key" || name === "value")) return pick(scope.each[name], v.path);
    return v;
  }
  if (v.t === "call" && PASS_THROUGH_CALLS.has(v.name)) {
    const args = v.args.map((a) => resolve(a, scope, seen + 1));
    if (v.name === "concat" || v.name === "flatten") {
      const items: HclValue[] = [];
      for (const a of args) if (a?.t === "list") items.push(...a.items.map((x) => resolve(x, scope, seen + 1) ?? x));
      return { t: "list", items, line: v.line };
    }
    return args[0];
  }
  return v;
}

/** Follows path[2…] (after "local.x" or "each.value") into objects and lists. */
function pick(v: HclValue | undefined, path: readonly string[]): HclValue | undefined {
  let cur = v;
  for (let i = 2; i < path.length; i++) {
    const k = path[i]!;
    if (cur?.t === "obj") cur = cur.entries.find((e) => e.key === k)?.value;
    else if (cur?.t === "list" && /^\d+$/.test(k)) cur = cur.items[Number(k)];
    else return undefined;
  }
  return cur;
}

function strOf(v: HclValue | undefined): string | undefined {
  if (v?.t === "str") return v.v;
  if (v?.t === "num") return String(v.v);
  return undefined;
}

/** An attribute's string value, references resolved. */
function attrString(attrs: ReadonlyMap<string, HclValue>, key: string, scope: Scope): string | undefined {
  return strOf(resolve(attrs.get(key), scope));
}

/** The for_each instances of a resource: none → one instance without `each`. */
function instances(block: HclBlock, ctx: Ctx): Scope[] {
  const base: Scope = { locals: ctx.locals };
  const fe = block.attrs.get("for_each");
  if (!fe) return [base];
  const v = resolve(fe, base);
  if (v?.t === "obj")
    return v.entries.map((e) => ({
      locals: ctx.locals,
      each: { key: { t: "str", v: e.key, line: e.keyLine }, value: e.value },
    }));
  if (v?.t === "list") return v.items.map((item) => ({ locals: ctx.locals, each: { key: item, value: item } }));
  ctx.findings.push(
    finding(
      lineAt(ctx, fe.line),
      "not-understood",
      "for_each over something other than a literal or a local map/set: the resource is not read.",
    ),
  );
  return [];
}

/** Address strings of an attribute (a string or a list of strings), each with its line. */
function addresses(
  v: HclValue | undefined,
  scope: Scope,
  ctx: Ctx,
  at: number,
): { term: AddressTerm; line: Line }[] | "any" {
  const r = resolve(v, scope);
  const list = r === undefined ? [] : r.t === "list" ? r.items.map((x) => resolve(x, scope) ?? x) : [r];
  const out: { term: AddressTerm; line: Line }[] = [];
  for (const item of list) {
    const s = strOf(item);
    const line = lineAt(ctx, item.line || at);
    if (s === undefined) {
      ctx.findings.push(
        finding(line, "not-understood", "An address that is not a literal string or a local: not read."),
      );
      continue;
    }
    if (s === "*" || /^(?:any|internet)$/i.test(s)) return "any";
    if (/^[A-Za-z]/.test(s) && !s.includes(":")) {
      ctx.findings.push(
        finding(line, "note", `Service tag "${s}" is not an address range this reader knows: not read.`),
      );
      continue;
    }
    const read = readAddressTerm(s);
    if (!read.ok) ctx.findings.push(finding(line, read.kind, read.message));
    else out.push({ term: read.term, line });
  }
  return out;
}

interface Rule {
  readonly order: number;
  readonly group: number;
  readonly priority: number;
  readonly action: Action;
  readonly direction: "in" | "out";
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
  readonly sources: { term: AddressTerm; line: Line }[];
  readonly line: Line;
  readonly comment?: string;
  readonly unmet?: string;
}

function awsPorts(
  from: HclValue | undefined,
  to: HclValue | undefined,
  protocol: string | undefined,
  scope: Scope,
): PortRange[] | undefined | null {
  if (protocol === undefined || protocol === "icmp" || protocol === "ipv6-icmp") return undefined;
  const f = Number(strOf(resolve(from, scope)));
  const t = Number(strOf(resolve(to, scope)) ?? f);
  if (!Number.isInteger(f) || !Number.isInteger(t)) return null;
  if (f <= 0 && t >= 65535) return undefined;
  if (f < 0 || t > 65535 || f > t) return null;
  return [{ from: f, to: t }];
}

export function parseTerraform(text: string): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const { body, errors } = parseHcl(text);
  for (const e of errors) findings.push(finding(lines.at(e.line), "invalid", `HCL: ${e.message}`));
  const locals = new Map<string, HclValue>();
  for (const b of body.blocks) if (b.type === "locals") for (const [k, v] of b.attrs) locals.set(k, v);
  const st: TfState = { ctx: { lines, findings, locals }, rules: [], order: 0 };
  for (const b of body.blocks) {
    if (b.type !== "resource") continue;
    // Every resource's for_each is read (and reported when it cannot be), whether or not its type holds rules.
    const scopes = instances(b, st.ctx);
    const read = RESOURCES.get(b.labels[0] ?? "");
    if (read) for (const scope of scopes) read(st, b, scope);
  }
  const rules = st.rules;
  rules.sort(
    (a, b) =>
      a.group - b.group ||
      (a.direction === b.direction ? 0 : a.direction === "in" ? -1 : 1) ||
      a.priority - b.priority ||
      (a.group === 1 && a.action !== b.action ? (a.action === "deny" ? -1 : 1) : 0) ||
      a.order - b.order,
  );
  const entries: Entry[] = [];
  for (const r of rules) {
    for (const s of r.sources) {
      entries.push(
        pathEntry(s.line, s.term, {
          action: r.action,
          direction: r.direction,
          protocol: r.protocol,
          ports: r.ports,
          ruleLine: r.line.n,
          comment: r.comment,
          unmet: r.unmet,
        }),
      );
    }
  }
  return {
    format: "terraform",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path: {
      contexts: [
        {
          name: "Terraform firewall resources",
          line: 0,
          text: "",
          fallthrough: "deny",
          onPath: true,
          reason: "security groups, NSGs and VPC firewalls deny what no rule allows",
        },
      ],
      kind: "input",
      assumption:
        "Read as the rules of the security group / NSG / VPC firewall in front of the service (AWS rules only allow; Azure and GCP rules by priority); variables are not evaluated, locals and for_each are.",
    },
  };
}

/** What the resource handlers read into: the rules found so far, numbered in reading order. */
interface TfState {
  readonly ctx: Ctx;
  readonly rules: Rule[];
  order: number;
}

/** Reads one instance (one for_each scope) of a resource block. */
type ResourceHandler = (st: TfState, b: HclBlock, scope: Scope) => void;

const AWS_CIDRS = ["cidr_blocks", "ipv6_cidr_blocks"] as const;

const RESOURCES: ReadonlyMap<string, ResourceHandler> = new Map<string, ResourceHandler>([
  ["aws_security_group", readAwsSecurityGroup],
  [
    "aws_security_group_rule",
    (st, b, scope) =>
      awsRule(
        st,
        b.attrs,
        scope,
        strOf(resolve(b.attrs.get("type"), scope)) === "egress" ? "out" : "in",
        b.line,
        "protocol",
        AWS_CIDRS,
      ),
  ],
  [
    "aws_vpc_security_group_ingress_rule",
    (st, b, scope) => awsRule(st, b.attrs, scope, "in", b.line, "ip_protocol", ["cidr_ipv4", "cidr_ipv6"]),
  ],
  [
    "aws_vpc_security_group_egress_rule",
    (st, b, scope) => awsRule(st, b.attrs, scope, "out", b.line, "ip_protocol", ["cidr_ipv4", "cidr_ipv6"]),
  ],
  ["azurerm_network_security_rule", (st, b, scope) => azureRule(st, b.attrs, scope, b.line)],
  ["azurerm_network_security_group", readAzureSecurityGroup],
  ["google_compute_firewall", readGoogleFirewall],
]);

function readAwsSecurityGroup(st: TfState, b: HclBlock, scope: Scope): void {
  for (const sub of b.blocks) {
    if (sub.type === "ingress" || sub.type === "egress")
      awsRule(st, sub.attrs, scope, sub.type === "ingress" ? "in" : "out", sub.line, "protocol", AWS_CIDRS);
  }
}

function readAzureSecurityGroup(st: TfState, b: HclBlock, scope: Scope): void {
  for (const sub of b.blocks) if (sub.type === "security_rule") azureRule(st, sub.attrs, scope, sub.line);
}

/** An AWS ingress/egress rule (inline block or resource): allow only. */
function awsRule(
  st: TfState,
  attrs: ReadonlyMap<string, HclValue>,
  scope: Scope,
  direction: "in" | "out",
  at: number,
  protoKey: string,
  cidrKeys: readonly string[],
): void {
  const { ctx } = st;
  const protoRaw = (strOf(resolve(attrs.get(protoKey), scope)) ?? "-1").toLowerCase();
  if (!(protoRaw in AWS_PROTOCOLS)) {
    ctx.findings.push(finding(lineAt(ctx, at), "not-understood", `Protocol "${protoRaw}" is not read.`));
    return;
  }
  const protocol = AWS_PROTOCOLS[protoRaw];
  const ports = awsPorts(attrs.get("from_port"), attrs.get("to_port"), protocol, scope);
  if (ports === null) {
    ctx.findings.push(finding(lineAt(ctx, at), "invalid", "from_port/to_port are not a port range."));
    return;
  }
  const sources: { term: AddressTerm; line: Line }[] = [];
  for (const key of cidrKeys) {
    const a = addresses(attrs.get(key), scope, ctx, at);
    if (a === "any")
      for (const term of anySources([key.includes("6") ? 6 : 4], "any")) sources.push({ term, line: lineAt(ctx, at) });
    else sources.push(...a);
  }
  const description = strOf(resolve(attrs.get("description"), scope));
  st.rules.push({
    order: st.order++,
    group: 2,
    priority: 0,
    action: "allow",
    direction,
    ...(protocol ? { protocol } : {}),
    ...(ports ? { ports } : {}),
    sources,
    line: lineAt(ctx, at),
    ...(description ? { comment: description } : {}),
  });
}

/** An Azure security rule (inline block or resource), by priority. */
function azureRule(st: TfState, attrs: ReadonlyMap<string, HclValue>, scope: Scope, at: number): void {
  const { ctx } = st;
  const direction = (attrString(attrs, "direction", scope) ?? "Inbound").toLowerCase() === "outbound" ? "out" : "in";
  const action: Action = (attrString(attrs, "access", scope) ?? "Allow").toLowerCase() === "deny" ? "deny" : "allow";
  const proto = (attrString(attrs, "protocol", scope) ?? "*").toLowerCase();
  const protocol = proto === "*" ? undefined : proto === "icmp" ? "icmp" : proto;
  const rangesValue = resolve(attrs.get("destination_port_ranges"), scope);
  const portWords = [
    attrString(attrs, "destination_port_range", scope),
    ...(rangesValue?.t === "list" ? rangesValue.items.map((x) => strOf(resolve(x, scope))) : []),
  ].filter((x): x is string => x !== undefined);
  let ports: PortRange[] | undefined;
  if (!portWords.includes("*") && portWords.length > 0) {
    ports = [];
    for (const w of portWords) {
      const r = parsePortRange(w);
      if (!r) {
        ctx.findings.push(finding(lineAt(ctx, at), "invalid", `"${w}" is not a port or range.`));
        return;
      }
      ports.push(r);
    }
  }
  const sources: { term: AddressTerm; line: Line }[] = [];
  for (const key of ["source_address_prefix", "source_address_prefixes"]) {
    const a = addresses(attrs.get(key), scope, ctx, at);
    if (a === "any") for (const term of anySources([4, 6], "*")) sources.push({ term, line: lineAt(ctx, at) });
    else sources.push(...a);
  }
  const name = attrString(attrs, "name", scope);
  st.rules.push({
    order: st.order++,
    group: 0,
    priority: Number(attrString(attrs, "priority", scope) ?? 4096),
    action,
    direction,
    ...(protocol ? { protocol } : {}),
    ...(ports ? { ports } : {}),
    sources,
    line: lineAt(ctx, at),
    ...(name ? { comment: name } : {}),
  });
}

/** A GCP firewall: one rule per allow/deny block, sharing the resource's sources, priority and direction. */
function readGoogleFirewall(st: TfState, b: HclBlock, scope: Scope): void {
  const { ctx } = st;
  const name = b.labels[1];
  const direction = (attrString(b.attrs, "direction", scope) ?? "INGRESS").toUpperCase() === "EGRESS" ? "out" : "in";
  const disabled = resolve(b.attrs.get("disabled"), scope);
  const src = addresses(b.attrs.get(direction === "in" ? "source_ranges" : "destination_ranges"), scope, ctx, b.line);
  const sources =
    src === "any" ? anySources([4, 6], "0.0.0.0/0").map((term) => ({ term, line: lineAt(ctx, b.line) })) : src;
  for (const sub of b.blocks) {
    if (sub.type !== "allow" && sub.type !== "deny") continue;
    const proto = (strOf(resolve(sub.attrs.get("protocol"), scope)) ?? "all").toLowerCase();
    const portsValue = resolve(sub.attrs.get("ports"), scope);
    const ports: PortRange[] = [];
    for (const item of portsValue?.t === "list" ? portsValue.items : []) {
      const r = parsePortRange(strOf(resolve(item, scope)) ?? "");
      if (r) ports.push(r);
      else ctx.findings.push(finding(lineAt(ctx, item.line), "invalid", "Not a port or port range."));
    }
    st.rules.push({
      order: st.order++,
      group: 1,
      priority: Number(attrString(b.attrs, "priority", scope) ?? 1000),
      action: sub.type === "allow" ? "allow" : "deny",
      direction,
      ...(proto === "all" ? {} : { protocol: proto }),
      ...(ports.length > 0 ? { ports } : {}),
      sources,
      line: lineAt(ctx, sub.line),
      ...(name ? { comment: name } : {}),
      ...(disabled?.t === "bool" && disabled.v ? { unmet: "the rule is disabled" } : {}),
    });
  }
}

export const terraformParser: Parser = {
  id: "terraform",
  label: "Terraform (AWS, Azure, GCP firewall resources)",
  detect(text: string): number {
    const head = detectHead(text);
    if (
      /^\s*resource\s+"(?:aws_security_group(?:_rule)?|aws_vpc_security_group_(?:ingress|egress)_rule|azurerm_network_security_(?:rule|group)|google_compute_firewall)"\s+"[^"]*"\s*\{/m.test(
        head,
      )
    )
      return 0.97;
    if (/^\s*(?:resource|variable|locals|provider|module)\s+("[^"]*"\s*)*\{\s*$/m.test(head)) return 0.5;
    return 0;
  },
  parse: parseTerraform,
};
