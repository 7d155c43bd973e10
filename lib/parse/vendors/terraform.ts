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
import type { Action, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import {
  type AddressTerm,
  type Line,
  MAX_EXPANSION,
  countLines,
  finding,
  parsePortRange,
  readAddressTerm,
  someNames,
  TextLines,
} from "./common";
import { coversEphemeral } from "./azure";
import { CONDITIONAL, COUNT_INDEX, type HclBlock, type HclValue, parseHcl } from "./hcl";
import { anySources, pathEntry } from "./hostcommon";
import { detectHead } from "./linuxcommon";
import { looksLikeTerraformJson, readTerraformJson } from "./terraform-json";

interface Scope {
  readonly locals: ReadonlyMap<string, HclValue>;
  /** Input variables' `default`s: what Terraform uses when no value is given (-var, .tfvars, TF_VAR_…). */
  readonly vars: ReadonlyMap<string, HclValue>;
  readonly each?: { key: HclValue; value: HclValue };
  /** The instance's count.index, for a resource with `count`. */
  readonly index?: number;
  /** A `dynamic` block's iterator (named after the block, or by its `iterator` argument): name.key, name.value. */
  readonly iters?: ReadonlyMap<string, { key: HclValue; value: HclValue }>;
  /** List items concat and flatten may still build in this paste (MAX_EXPANSION in all). */
  readonly budget?: { left: number };
}

interface Ctx {
  readonly lines: TextLines;
  readonly findings: Finding[];
  readonly locals: Map<string, HclValue>;
  readonly vars: Map<string, HclValue>;
  /** Variables read at their default, by name, with the line of their first use (one note each). */
  readonly varsUsed: Map<string, number>;
  /** `aws_ec2_managed_prefix_list` resources of the paste: name → their `entry` blocks' cidrs. */
  readonly prefixLists: Map<string, HclValue[]>;
  readonly budget: { left: number };
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
    if (head === "count" && name === "index" && scope.index !== undefined && v.path.length === 2)
      return { t: "num", v: scope.index, line: v.line };
    if (scope.index !== undefined && v.path.includes(COUNT_INDEX)) {
      const path = v.path.map((k) => (k === COUNT_INDEX ? String(scope.index) : k));
      return resolve({ t: "ref", path, line: v.line }, scope, seen + 1);
    }
    if (head === "var" && name !== undefined && scope.vars.has(name))
      return pick(resolve(scope.vars.get(name), scope, seen + 1), v.path);
    const iter = head === undefined ? undefined : scope.iters?.get(head);
    if (iter && (name === "key" || name === "value")) return pick(iter[name], v.path);
    return v;
  }
  // "${local.x}/32", "${var.ip}/32": an interpolation of a plain reference that resolves to a string or number.
  if (v.t === "str" && v.v.includes("${")) {
    let unresolved = false;
    const text = v.v.replace(/\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*\}/g, (m, ref: string) => {
      const path = ref.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
      const r = resolve({ t: "ref", path, line: v.line }, scope, seen + 1);
      const out = r?.t !== "ref" ? strOf(r) : undefined;
      if (out === undefined) unresolved = true;
      return out ?? m;
    });
    return unresolved || text.includes("${") ? v : { t: "str", v: text, line: v.line };
  }
  if (v.t === "call" && PASS_THROUGH_CALLS.has(v.name)) {
    const args = v.args.map((a) => resolve(a, scope, seen + 1));
    if (v.name === "concat" || v.name === "flatten") {
      // An argument that is not a list (a variable without a default, a local past the nesting limit) stays an item
      // as it is, so the reader reports it where it is used instead of dropping it unsaid. Each call builds its list
      // anew: locals concatenating the one before twice, 20 deep, stood for a million items, so their number is
      // bounded too (past it the call is left unread, and reported).
      const items: HclValue[] = [];
      const budget = scope.budget ?? { left: MAX_EXPANSION };
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (a?.t !== "list") {
          const written = v.args[k];
          if (written !== undefined) items.push(a ?? written);
          continue;
        }
        if (a.items.length > budget.left) return v;
        budget.left -= a.items.length;
        for (const x of a.items) items.push(resolve(x, scope, seen + 1) ?? x);
      }
      return { t: "list", items, line: v.line };
    }
    return args[0];
  }
  // "c ? a : b" on a boolean (https://developer.hashicorp.com/terraform/language/expressions/conditionals).
  if (v.t === "call" && v.name === CONDITIONAL && v.args.length === 3) {
    const c = resolve(v.args[0], scope, seen + 1);
    const b = c?.t === "bool" ? c.v : c?.t === "str" && /^(?:true|false)$/.test(c.v) ? c.v === "true" : undefined;
    return b === undefined ? v : resolve(v.args[b ? 1 : 2], scope, seen + 1);
  }
  // element(list, count.index): the item at that index, wrapping around (https://developer.hashicorp.com/terraform/language/functions/element).
  if (v.t === "call" && v.name === "element" && v.args.length === 2) {
    const list = resolve(v.args[0], scope, seen + 1);
    const at = resolve(v.args[1], scope, seen + 1);
    if (list?.t === "list" && list.items.length > 0 && at?.t === "num" && Number.isInteger(at.v) && at.v >= 0)
      return resolve(list.items[at.v % list.items.length], scope, seen + 1);
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

/**
 * The most instances one resource's `count` is read as: far above what a security group, NSG or VPC network holds
 * (AWS: 1,000 rules per group; Azure: 1,000 rules per NSG), and a one-line `count = 1000000` stays quick.
 */
const MAX_COUNT = 10_000;

/**
 * A resource's `count` as a number: a literal, a variable's default or a local, or length() of a list; undefined when
 * it is something else (a condition, a data source).
 */
function countOf(v: HclValue, scope: Scope): number | undefined {
  const r = resolve(v, scope);
  if (r?.t === "num") return r.v;
  if (r?.t === "str" && /^\d+$/.test(r.v)) return Number(r.v);
  if (r?.t === "call" && r.name === "length" && r.args.length === 1) {
    const list = resolve(r.args[0], scope);
    if (list?.t === "list") return list.items.length;
    if (list?.t === "obj") return list.entries.length;
  }
  return undefined;
}

/**
 * The instances of a resource: `count` gives count.index 0…N-1, none when it is 0 (the resource is not created:
 * https://developer.hashicorp.com/terraform/language/meta-arguments/count); for_each one per element; neither → one
 * instance without `each`.
 */
function instances(block: HclBlock, ctx: Ctx, holdsRules: boolean): Scope[] {
  const base: Scope = { locals: ctx.locals, vars: ctx.vars, budget: ctx.budget };
  const count = block.attrs.get("count");
  // The count of a resource that holds no rule (an instance, a VPC) changes nothing read here: not evaluated.
  if (count && holdsRules) {
    noteVars(ctx, count);
    const n = countOf(count, base);
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > Math.min(MAX_COUNT, ctx.budget.left)) {
      ctx.findings.push(
        finding(
          lineAt(ctx, count.line),
          "not-understood",
          `count is not a number (up to ${MAX_COUNT}), a variable's default, a local or length() of a list: the resource is read as created once.`,
        ),
      );
      return [base];
    }
    if (n === 0)
      ctx.findings.push(finding(lineAt(ctx, count.line), "note", "count is 0: the resource is not created, not read."));
    ctx.budget.left -= n;
    return Array.from({ length: n }, (_, index) => ({ ...base, index }));
  }
  const fe = block.attrs.get("for_each");
  if (!fe) return [base];
  noteVars(ctx, fe);
  const v = resolve(fe, base);
  if (v?.t === "obj")
    return v.entries.map((e) => ({
      ...base,
      each: { key: { t: "str", v: e.key, line: e.keyLine }, value: e.value },
    }));
  if (v?.t === "list") return v.items.map((item) => ({ ...base, each: { key: item, value: item } }));
  ctx.findings.push(
    finding(
      lineAt(ctx, fe.line),
      "not-understood",
      "for_each over something other than a literal or a local map/set: the resource is not read.",
    ),
  );
  return [];
}

/** Records the variables a value reads at their default (each gets one note, at its first use). */
function noteVars(ctx: Ctx, v: HclValue | undefined): void {
  if (!v) return;
  if (v.t === "str" && v.v.includes("${var.")) {
    for (const m of v.v.matchAll(/\$\{\s*var\.([A-Za-z_][\w-]*)/g)) {
      const name = m[1]!;
      if (ctx.vars.has(name) && !ctx.varsUsed.has(name)) ctx.varsUsed.set(name, v.line);
    }
  } else if (v.t === "ref") {
    const name = v.path[1];
    if (v.path[0] === "var" && name !== undefined && ctx.vars.has(name) && !ctx.varsUsed.has(name))
      ctx.varsUsed.set(name, v.line);
  } else if (v.t === "list") for (const x of v.items) noteVars(ctx, x);
  else if (v.t === "call") for (const x of v.args) noteVars(ctx, x);
  else if (v.t === "obj") for (const e of v.entries) noteVars(ctx, e.value);
}

/**
 * The nested blocks of `b` of one of `types`, each with the scope it is read in: a literal block as is, a
 * \`dynamic "type"\` block once per element of its for_each, its \`content\` read with the iterator bound
 * (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks).
 */
function subBlocks(
  b: HclBlock,
  types: readonly string[],
  scope: Scope,
  ctx: Ctx,
): { type: string; block: HclBlock; scope: Scope }[] {
  const out: { type: string; block: HclBlock; scope: Scope }[] = [];
  for (const sub of b.blocks) {
    if (types.includes(sub.type)) {
      out.push({ type: sub.type, block: sub, scope });
      continue;
    }
    const label = sub.labels[0];
    if (sub.type !== "dynamic" || label === undefined || !types.includes(label)) continue;
    const content = sub.blocks.find((x) => x.type === "content");
    const fe = sub.attrs.get("for_each");
    noteVars(ctx, fe);
    const v = resolve(fe, scope);
    const it = sub.attrs.get("iterator");
    const name = it?.t === "ref" && it.path.length === 1 ? it.path[0]! : label;
    const elements: { key: HclValue; value: HclValue }[] | undefined =
      v?.t === "obj"
        ? v.entries.map((e) => ({ key: { t: "str", v: e.key, line: e.keyLine }, value: e.value }))
        : v?.t === "list"
          ? v.items.map((item, i) => ({ key: { t: "num", v: i, line: item.line }, value: item }))
          : undefined;
    if (!content || !elements) {
      ctx.findings.push(
        finding(
          lineAt(ctx, sub.line),
          "not-understood",
          `dynamic "${label}" ${content ? "iterates over something other than a literal, a local or a variable's default" : "has no content block"}: its ${label} blocks are not read.`,
        ),
      );
      continue;
    }
    for (const el of elements) {
      const iters = new Map(scope.iters ?? []);
      iters.set(name, el);
      out.push({ type: label, block: content, scope: { ...scope, iters } });
    }
  }
  return out;
}

/**
 * The cidrs of an aws_ec2_managed_prefix_list's entries, written as `entry` blocks or a `dynamic "entry"` block
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_managed_prefix_list#entry), each
 * resolved here, in its own scope: a dynamic block's iterator is not in scope at the rule that names the list. An entry
 * whose cidr is not read is a finding, or a rule through the list would read it short of that entry, unsaid.
 */
function prefixListEntries(b: HclBlock, ctx: Ctx): HclValue[] {
  const base: Scope = { locals: ctx.locals, vars: ctx.vars, budget: ctx.budget };
  const out: HclValue[] = [];
  for (const { block, scope } of subBlocks(b, ["entry"], base, ctx)) {
    const written = block.attrs.get("cidr");
    noteVars(ctx, written);
    const v = resolve(written, scope);
    if ((v?.t === "str" && !v.v.includes("${")) || v?.t === "num") out.push(v);
    else
      ctx.findings.push(
        finding(
          lineAt(ctx, written?.line || block.line),
          "not-understood",
          `An entry of prefix list ${b.labels[1] ?? ""} ${written ? "whose cidr is not a literal, a local or a variable's default" : "without a cidr"}: not read.`,
        ),
      );
  }
  return out;
}

/**
 * A `module` block creates the resources its source defines
 * (https://developer.hashicorp.com/terraform/language/modules/syntax): a registry module, a Git repository or a
 * directory, none of which is in the paste, so its rules are not known here. Said on the block's line, with where the
 * resources can be read: `terraform show -json` lists every module's resources with their values, and this reader
 * reads it.
 */
function moduleNotRead(b: HclBlock, ctx: Ctx): void {
  const source = strOf(b.attrs.get("source"));
  ctx.findings.push(
    finding(
      lineAt(ctx, b.line),
      "undefined-reference",
      `Module "${b.labels[0] ?? ""}"${source ? ` (source ${source})` : ""}: the resources it creates are defined in its source, not in this paste, and are not read. Paste the output of terraform show -json, which lists them with their values, to check them.`,
    ),
  );
}

/** Address strings of an attribute (a string or a list of strings), each with its line. */
function addresses(
  v: HclValue | undefined,
  scope: Scope,
  ctx: Ctx,
  at: number,
): { term: AddressTerm; line: Line }[] | "any" {
  noteVars(ctx, v);
  const r = resolve(v, scope);
  const list = r === undefined ? [] : r.t === "list" ? r.items.map((x) => resolve(x, scope) ?? x) : [r];
  const out: { term: AddressTerm; line: Line }[] = [];
  // Once a line: a local built from others may hold thousands of items left unresolved on one line.
  let unreadOn = -1;
  for (const item of list) {
    const s = strOf(item);
    const line = lineAt(ctx, item.line || at);
    if (s === undefined) {
      if (line.n !== unreadOn)
        ctx.findings.push(
          finding(line, "not-understood", "An address that is not a literal string or a local: not read."),
        );
      unreadOn = line.n;
      continue;
    }
    if (s.includes("${")) {
      ctx.findings.push(
        finding(
          line,
          "not-understood",
          `"${s}" interpolates something other than a local or a variable with a default: not read.`,
        ),
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
  /** The security group, NSG or VPC network the rule belongs to ("" when the paste does not say). */
  readonly device: string;
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

export function parseTerraform(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const notes: string[] = [];
  let body: HclBlock;
  const fromJson = /^\s*\{/.test(text);
  if (fromJson) {
    // HCL has no top-level "{": a document starting with one is `terraform show -json` output.
    const json = readTerraformJson(text, lines);
    body = json.body;
    findings.push(...json.findings);
    if (json.note) notes.push(json.note);
  } else {
    const hcl = parseHcl(text);
    body = hcl.body;
    for (const e of hcl.errors) findings.push(finding(lines.at(e.line), "invalid", `HCL: ${e.message}`));
  }
  const locals = new Map<string, HclValue>();
  const vars = new Map<string, HclValue>();
  const prefixLists = new Map<string, HclValue[]>();
  const aliases = new Map<string, string>();
  for (const b of body.blocks) {
    if (b.type === "locals") for (const [k, v] of b.attrs) locals.set(k, v);
    const def = b.attrs.get("default");
    if (b.type === "variable" && b.labels[0] !== undefined && def) vars.set(b.labels[0], def);
    const named = b.attrs.get("name");
    if (b.type === "resource" && b.labels[1] !== undefined && named?.t === "str" && DEVICE_TYPES.has(b.labels[0] ?? ""))
      aliases.set(b.labels[1], named.v);
  }
  const ctx: Ctx = { lines, findings, locals, vars, varsUsed: new Map(), prefixLists, budget: { left: MAX_EXPANSION } };
  // After every local and variable is known: a dynamic entry block may iterate over them.
  for (const b of body.blocks)
    if (b.type === "resource" && b.labels[0] === "aws_ec2_managed_prefix_list" && b.labels[1] !== undefined)
      prefixLists.set(b.labels[1], prefixListEntries(b, ctx));
  const st: TfState = {
    ctx,
    rules: [],
    order: 0,
    device: "",
    acls: new Set(),
    inlineIngress: new Set(),
  };
  for (const b of body.blocks) {
    if (b.type === "module") moduleNotRead(b, ctx);
    if (b.type !== "resource") continue;
    // Every resource's for_each is read (and reported when it cannot be), whether or not its type holds rules.
    const read = RESOURCES.get(b.labels[0] ?? "");
    const scopes = instances(b, st.ctx, read !== undefined);
    if (read) for (const scope of scopes) read(st, b, scope);
  }
  // A rule may name its NSG or network by the resource (azurerm_network_security_group.web.name) or by the name it
  // gives Azure or GCP ("web-nsg"): both are the one device, whose rules are read together by priority
  // (network_security_group_name is "the name of the Network Security Group":
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_rule).
  const labelOfName = new Map<string, string>();
  for (const [label, name] of aliases) if (!labelOfName.has(name)) labelOfName.set(name, label);
  for (let i = 0; i < st.rules.length; i++) {
    const r = st.rules[i]!;
    const label = aliases.has(r.device) ? undefined : labelOfName.get(r.device);
    if (label !== undefined) st.rules[i] = { ...r, device: label };
  }
  for (const [name, line] of st.ctx.varsUsed)
    findings.push(
      finding(
        lines.at(line),
        "note",
        `var.${name} is read at its default: a value given with -var, a .tfvars file or TF_VAR_${name} replaces it.`,
      ),
    );
  // aws_network_acl_rule of a network ACL the paste does not define: its other rules are not known (the VPC's
  // default network ACL also allows everything with rule 100).
  const unseen = new Set<string>();
  for (const r of st.rules)
    if (r.group === 3 && !st.acls.has(r.device) && !unseen.has(r.device)) {
      unseen.add(r.device);
      findings.push(
        finding(
          r.line,
          "note",
          `Network ACL ${r.device || "(unnamed)"} is not defined in this paste: read as holding only its rules here and the * rule that denies the rest; rules it has elsewhere are not known.`,
        ),
      );
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
  const devices = devicePath(rules, aliases, options);
  const entries: Entry[] = [];
  for (const r of rules) {
    const context = devices?.contextOf(r);
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
          context,
        }),
      );
    }
  }
  const evaluated = fromJson
    ? "the values are the ones terraform show -json gives (resolved by Terraform)."
    : "variables are read at their defaults (a variable without one is not read), locals, for_each and dynamic blocks are evaluated.";
  return {
    format: "terraform",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    path: devices
      ? {
          contexts: devices.contexts,
          kind: "input",
          ...(devices.ingress ? { ingress: devices.ingress } : {}),
          assumption: `${devices.assumption}; ${evaluated}`,
        }
      : {
          contexts: [
            {
              name: "Terraform firewall resources",
              line: 0,
              text: "",
              fallthrough: "deny",
              onPath: true,
              reason: "security groups, NSGs and VPC firewalls deny what no rule allows",
              // A group with inline ingress blocks: a missing delta must add to them (standalone rule resources
              // conflict with inline rules, AWS provider docs of aws_security_group). Not from `terraform show -json`:
              // its ingress attribute lists a group's rules however they were written.
              ...(st.inlineIngress.size === 1 && !fromJson
                ? {
                    list: {
                      kind: "aws-sg-inline" as const,
                      name: [...st.inlineIngress][0]!,
                      boundOn: `aws_security_group.${[...st.inlineIngress][0]!}`,
                      rules: [],
                    },
                  }
                : {}),
            },
          ],
          kind: "input",
          assumption: `Read as the rules of the security group / NSG / VPC firewall in front of the service (AWS rules only allow; Azure and GCP rules by priority); ${evaluated}`,
        },
  };
}

const DEVICE_TYPES: ReadonlySet<string> = new Set([
  "aws_security_group",
  "azurerm_network_security_group",
  "google_compute_network",
]);

/**
 * When the paste holds several security groups, NSGs or VPC networks of one cloud, each is a place of its own on the
 * path: an instance's security groups add up (one context;
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html), a connection must pass the NSG of the
 * subnet and the one of the NIC (one context each; https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works),
 * and a VM's interface is in one VPC network, whose rules alone apply (https://cloud.google.com/firewall/docs/firewalls).
 * --ingress names the ones in front of the service; without it every security group and NSG is on the path, and the
 * network with the most ingress rules. Undefined when each cloud has at most one: the single list as before.
 */
function devicePath(
  rules: readonly Rule[],
  aliases: ReadonlyMap<string, string>,
  options: ParseOptions,
): { contexts: PathContext[]; contextOf: (r: Rule) => number; assumption: string; ingress?: string } | undefined {
  const KIND = ["NSG", "VPC network", "security group", "network ACL"];
  // Devices in order of first rule, and each one's ingress rules: one pass (a paste of thousands of groups is linear).
  const byKey = new Map<string, { group: number; device: string; ingress: number }>();
  for (const r of rules) {
    const key = `${r.group}:${r.device}`;
    let d = byKey.get(key);
    if (d === undefined) byKey.set(key, (d = { group: r.group, device: r.device, ingress: 0 }));
    if (r.direction === "in") d.ingress++;
  }
  const seen = [...byKey.values()];
  // A network ACL is a place of its own before the security groups: with any other rules, its own context.
  const acls = seen.some((d) => d.group === 3) && seen.some((d) => d.group !== 3);
  if (!acls && ![0, 1, 2, 3].some((g) => seen.filter((d) => d.group === g).length > 1)) return undefined;
  const label = (d: { device: string }) => aliases.get(d.device) ?? (d.device || "(unnamed)");
  const wanted = new Set(
    (options.ingress ?? "")
      .split(",")
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== ""),
  );
  const named = (d: { device: string }) =>
    wanted.has(d.device.toLowerCase()) || wanted.has((aliases.get(d.device) ?? "").toLowerCase());
  const given = seen.some(named);
  const network = seen
    .filter((d) => d.group === 1)
    .reduce<(typeof seen)[number] | undefined>((a, b) => (a === undefined || b.ingress > a.ingress ? b : a), undefined);
  const on = (d: { group: number; device: string }) => (given ? named(d) : d.group !== 1 || d === network);
  const contexts: PathContext[] = [];
  const index = new Map<string, number>();
  const add = (key: string, ctx: () => PathContext) => {
    if (!index.has(key)) {
      index.set(key, contexts.length);
      contexts.push(ctx());
    }
  };
  for (const d of seen) {
    if (d.group === 2) {
      const inFront = on(d);
      add(`2:${inFront}`, () => ({
        name: inFront
          ? `security groups ${someNames(seen.filter((g) => g.group === 2 && on(g)).map(label))}`
          : "the other security groups",
        line: 0,
        text: "",
        fallthrough: "deny",
        onPath: inFront,
        reason: inFront
          ? "the groups attached to the service: their rules add up, what none allows is denied"
          : "not named with --ingress: read as attached to other resources",
      }));
    } else {
      add(`${d.group}:${d.device}`, () => ({
        name: `${KIND[d.group]} ${label(d)}`,
        line: 0,
        text: "",
        fallthrough: "deny",
        onPath: on(d),
        reason: on(d)
          ? d.group === 0
            ? "inbound rules by priority, first match; DenyAllInBound last"
            : d.group === 3
              ? "the subnet's network ACL: inbound rules by rule number, first match; the * rule denies the rest"
              : "the service's VM is read as being in this network: rules by priority, implied deny ingress"
          : given
            ? "not named with --ingress"
            : "another VPC network: its rules apply only to VMs with an interface in it",
      }));
    }
  }
  const onNames = someNames(seen.filter(on).map((d) => `${KIND[d.group]} ${label(d)}`));
  return {
    contexts,
    contextOf: (r) =>
      r.group === 2 ? index.get(`2:${on(byKey.get(`2:${r.device}`)!)}`)! : index.get(`${r.group}:${r.device}`)!,
    assumption: given
      ? `Read as in front of the service (as given): ${onNames}`
      : `Read as in front of the service: ${onNames} (every security group and NSG, the VPC network with the most ingress rules); name the ones in front of it with --ingress NAME[,NAME]`,
    ...(given ? { ingress: seen.filter(on).map(label).join(",") } : {}),
  };
}

/** What the resource handlers read into: the rules found so far, numbered in reading order. */
interface TfState {
  readonly ctx: Ctx;
  readonly rules: Rule[];
  order: number;
  /** The device of the resource being read (see Rule.device). */
  device: string;
  /** The network ACLs the paste defines (aws_network_acl, aws_default_network_acl), by resource name. */
  readonly acls: Set<string>;
  /** The aws_security_group resources with inline ingress blocks, by resource name. */
  readonly inlineIngress: Set<string>;
}

/**
 * The device a standalone rule names through `key`: a reference to a resource of `type` gives that resource's name
 * (its second label), a literal its last path segment (an ID or a self link).
 */
function deviceOf(attrs: ReadonlyMap<string, HclValue>, key: string, type: string, scope: Scope): string {
  const v = attrs.get(key);
  if (v?.t === "ref" && v.path[0] === type && v.path[1] !== undefined) return v.path[1];
  return strOf(resolve(v, scope))?.split("/").pop() ?? "";
}

/** Reads one instance (one for_each scope) of a resource block. */
type ResourceHandler = (st: TfState, b: HclBlock, scope: Scope) => void;

/** aws_vpc_security_group_{ingress,egress}_rule: one rule of the group named by security_group_id. */
const vpcSecurityGroupRule =
  (direction: "in" | "out"): ResourceHandler =>
  (st, b, scope) =>
    awsRule(
      withDevice(st, deviceOf(b.attrs, "security_group_id", "aws_security_group", scope)),
      b.attrs,
      scope,
      direction,
      b.line,
      "ip_protocol",
      ["cidr_ipv4", "cidr_ipv6"],
    );

const AWS_CIDRS = ["cidr_blocks", "ipv6_cidr_blocks"] as const;

const RESOURCES: ReadonlyMap<string, ResourceHandler> = new Map<string, ResourceHandler>([
  ["aws_security_group", readAwsSecurityGroup],
  [
    "aws_security_group_rule",
    (st, b, scope) =>
      awsRule(
        withDevice(st, deviceOf(b.attrs, "security_group_id", "aws_security_group", scope)),
        b.attrs,
        scope,
        strOf(resolve(b.attrs.get("type"), scope)) === "egress" ? "out" : "in",
        b.line,
        "protocol",
        AWS_CIDRS,
      ),
  ],
  ["aws_vpc_security_group_ingress_rule", vpcSecurityGroupRule("in")],
  ["aws_vpc_security_group_egress_rule", vpcSecurityGroupRule("out")],
  [
    "azurerm_network_security_rule",
    (st, b, scope) =>
      azureRule(
        withDevice(st, deviceOf(b.attrs, "network_security_group_name", "azurerm_network_security_group", scope)),
        b.attrs,
        scope,
        b.line,
      ),
  ],
  ["azurerm_network_security_group", readAzureSecurityGroup],
  ["google_compute_firewall", readGoogleFirewall],
  ["aws_network_acl", readNetworkAcl],
  ["aws_default_network_acl", readNetworkAcl],
  [
    "aws_network_acl_rule",
    (st, b, scope) => {
      const egress = resolve(b.attrs.get("egress"), scope);
      const out = (egress?.t === "bool" && egress.v) || strOf(egress) === "true";
      naclRule(
        withDevice(st, deviceOf(b.attrs, "network_acl_id", "aws_network_acl", scope)),
        b.attrs,
        scope,
        out ? "out" : "in",
        b.line,
        "rule_number",
        "rule_action",
      );
    },
  ],
]);

/**
 * aws_network_acl / aws_default_network_acl with inline ingress and egress rules (rule_no, action, protocol,
 * cidr_block, ipv6_cidr_block, from_port, to_port: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl).
 */
function readNetworkAcl(st: TfState, b: HclBlock, scope: Scope): void {
  st.device = b.labels[1] ?? "";
  st.acls.add(st.device);
  for (const r of inlineRules(st, b, ["ingress", "egress"], scope))
    naclRule(st, r.attrs, r.scope, r.type === "ingress" ? "in" : "out", r.line, "rule_no", "action");
}

/**
 * One network ACL rule. A network ACL filters the subnet's traffic before the security group, statelessly: its rules
 * by rule number, lowest first, the first match decides, and the "*" rule denies what none matches
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
 */
function naclRule(
  st: TfState,
  attrs: ReadonlyMap<string, HclValue>,
  scope: Scope,
  direction: "in" | "out",
  at: number,
  numberKey: string,
  actionKey: string,
): void {
  const action = strOf(resolve(attrs.get(actionKey), scope))?.toLowerCase();
  const number = Number(strOf(resolve(attrs.get(numberKey), scope)));
  if ((action !== "allow" && action !== "deny") || !Number.isInteger(number)) {
    st.ctx.findings.push(
      finding(
        lineAt(st.ctx, at),
        "not-understood",
        `A network ACL rule without a readable ${actionKey} (allow or deny) and ${numberKey}: not read.`,
      ),
    );
    return;
  }
  awsRule(st, attrs, scope, direction, at, "protocol", NACL_CIDRS, { action, number });
}

const NACL_CIDRS = ["cidr_block", "ipv6_cidr_block"] as const;

function withDevice(st: TfState, device: string): TfState {
  st.device = device;
  return st;
}

function readAwsSecurityGroup(st: TfState, b: HclBlock, scope: Scope): void {
  st.device = b.labels[1] ?? "";
  for (const r of inlineRules(st, b, ["ingress", "egress"], scope)) {
    if (r.type === "ingress" && b.labels[1] !== undefined) st.inlineIngress.add(b.labels[1]);
    awsRule(st, r.attrs, r.scope, r.type === "ingress" ? "in" : "out", r.line, "protocol", AWS_CIDRS);
  }
}

/** azurerm_network_security_group's security_rule, as blocks or as `security_rule = [{ … }]` (see inlineRules). */
function readAzureSecurityGroup(st: TfState, b: HclBlock, scope: Scope): void {
  st.device = b.labels[1] ?? "";
  for (const r of inlineRules(st, b, ["security_rule"], scope)) azureRule(st, r.attrs, r.scope, r.line);
}

/**
 * A resource's inline rules of the given types: nested blocks (literal or dynamic, see subBlocks), then the attribute
 * form `ingress = [{ … }]` ("attributes as blocks": https://developer.hashicorp.com/terraform/language/attr-as-blocks),
 * which a provider accepts where it declares the argument with ConfigMode Attr: aws_security_group's and
 * aws_network_acl's ingress and egress ("processed in attribute-as-blocks mode"), azurerm_network_security_group's
 * security_rule ("List of objects representing security rules":
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_group). In that
 * form every argument of a rule is written, the unset ones as "", [] or null (`source_address_prefix = ""` beside
 * `source_address_prefixes`): "" and null are left out, as the provider reads them and as the `terraform show -json`
 * reader leaves them out. google_compute_firewall's allow and deny are plain blocks (no ConfigMode Attr in the
 * provider's schema): Terraform refuses `allow = [...]`.
 */
function inlineRules(
  st: TfState,
  b: HclBlock,
  types: readonly string[],
  scope: Scope,
): { type: string; attrs: ReadonlyMap<string, HclValue>; line: number; scope: Scope }[] {
  const { ctx } = st;
  const out = subBlocks(b, types, scope, ctx).map((x) => ({
    type: x.type,
    attrs: x.block.attrs,
    line: x.block.line,
    scope: x.scope,
  }));
  for (const type of types) {
    const v = b.attrs.get(type);
    if (!v) continue;
    noteVars(ctx, v);
    const list = resolve(v, scope);
    if (list?.t !== "list") {
      ctx.findings.push(
        finding(lineAt(ctx, v.line), "not-understood", `${type} is not a literal list of rules: not read.`),
      );
      continue;
    }
    for (const item of list.items) {
      const o = resolve(item, scope);
      if (o?.t !== "obj") {
        ctx.findings.push(
          finding(lineAt(ctx, item.line), "not-understood", `A rule of ${type} that is not an object: not read.`),
        );
        continue;
      }
      const attrs = new Map<string, HclValue>();
      for (const e of o.entries) {
        const r = resolve(e.value, scope);
        if (r?.t !== "null" && !(r?.t === "str" && r.v === "")) attrs.set(e.key, e.value);
      }
      out.push({ type, attrs, line: o.line, scope });
    }
  }
  return out;
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
  nacl?: { readonly action: Action; readonly number: number },
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
    else for (const s of a) sources.push(s);
  }
  // Prefix lists: a managed prefix list of the paste gives its entries; any other is reported, not guessed.
  for (const key of ["prefix_list_ids", "prefix_list_id"]) {
    const v = resolve(attrs.get(key), scope);
    for (const item of v === undefined ? [] : v.t === "list" ? v.items : [v]) {
      const r = resolve(item, scope) ?? item;
      const local =
        r.t === "ref" && r.path[0] === "aws_ec2_managed_prefix_list" && r.path[1] !== undefined
          ? ctx.prefixLists.get(r.path[1])
          : undefined;
      if (local) {
        const a = addresses({ t: "list", items: local, line: r.line }, scope, ctx, at);
        if (a !== "any") for (const s of a) sources.push(s);
        continue;
      }
      const shown = r.t === "ref" ? r.path.join(".") : (strOf(r) ?? "?");
      ctx.findings.push(
        finding(
          lineAt(ctx, r.line || at),
          "undefined-reference",
          `Prefix list ${shown} is not in this paste (paste its aws_ec2_managed_prefix_list or its entries to check them).`,
        ),
      );
    }
  }
  if (direction === "in")
    for (const key of ["security_groups", "source_security_group_id", "referenced_security_group_id", "self"]) {
      const v = attrs.get(key);
      if (!v || v.t === "null" || (v.t === "bool" && !v.v) || (v.t === "list" && v.items.length === 0)) continue;
      ctx.findings.push(
        finding(
          lineAt(ctx, v.line || at),
          "undefined-reference",
          `${key} names security groups: their members are AWS resources, not published addresses, so it allows none of them.`,
        ),
      );
    }
  const description = strOf(resolve(attrs.get("description"), scope));
  st.rules.push({
    order: st.order++,
    device: st.device,
    group: nacl ? 3 : 2,
    priority: nacl ? nacl.number : 0,
    action: nacl ? nacl.action : "allow",
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
    else for (const s of a) sources.push(s);
  }
  const name = attrString(attrs, "name", scope);
  // A destination other than every address of the VNet limits the rule to those addresses or NICs (as the NSG JSON
  // reader says: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
  if (direction === "in") {
    const destValue = resolve(attrs.get("destination_address_prefixes"), scope);
    const dest = [
      attrString(attrs, "destination_address_prefix", scope),
      ...(destValue?.t === "list" ? destValue.items.map((x) => strOf(resolve(x, scope))) : []),
    ].filter((x): x is string => x !== undefined && !DEST_ANY.has(x.toLowerCase()));
    const asg = attrs.get("destination_application_security_group_ids");
    const said =
      dest.length > 0
        ? `connections to ${someNames([...new Set(dest)])}`
        : asg && !(asg.t === "list" && asg.items.length === 0)
          ? "the NICs of its destination application security groups"
          : undefined;
    if (said)
      ctx.findings.push(
        finding(
          lineAt(ctx, at),
          "note",
          `Rule ${name ? `"${name}" ` : ""}applies only to ${said}: it is read as applying to the service. If the service is not ${dest.length > 1 ? "at one of those addresses" : dest.length > 0 ? "at that address" : "behind such a NIC"}, this rule ${action === "allow" ? "does not let the connection in" : "does not block it"}.`,
        ),
      );
  }
  // A source port other than "*": the webhook's client picks an ephemeral one (as the NSG JSON reader).
  const srcValue = resolve(attrs.get("source_port_ranges"), scope);
  const srcPorts = [
    attrString(attrs, "source_port_range", scope),
    ...(srcValue?.t === "list" ? srcValue.items.map((x) => strOf(resolve(x, scope))) : []),
  ].filter((x): x is string => x !== undefined && x !== "*");
  const unmet =
    srcPorts.length > 0 && action === "allow" && !coversEphemeral(srcPorts)
      ? `only source port ${srcPorts.join(", ")} (a client's source port is ephemeral)`
      : undefined;
  st.rules.push({
    order: st.order++,
    device: st.device,
    group: 0,
    priority: Number(attrString(attrs, "priority", scope) ?? 4096),
    action,
    direction,
    ...(protocol ? { protocol } : {}),
    ...(ports ? { ports } : {}),
    sources,
    line: lineAt(ctx, at),
    ...(name ? { comment: name } : {}),
    ...(unmet ? { unmet } : {}),
  });
}

/** Azure destinations that hold every address a VM of the VNet has. */
const DEST_ANY: ReadonlySet<string> = new Set(["*", "any", "internet", "virtualnetwork", "0.0.0.0/0", "::/0"]);

const GCP_PROTOCOL_NUMBERS: Readonly<Record<string, string | undefined>> = {
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "ipv6-icmp",
};

/**
 * What limits a google_compute_firewall to some VMs of its network (target_tags, target_service_accounts; none: every
 * VM, https://cloud.google.com/firewall/docs/firewalls#rule_assignment), in words; undefined for none.
 */
function gcpTargets(attrs: ReadonlyMap<string, HclValue>, scope: Scope): string | undefined {
  for (const [key, one, many] of [
    ["target_tags", "the network tag", "one of the network tags"],
    ["target_service_accounts", "the service account", "one of the service accounts"],
  ] as const) {
    const v = resolve(attrs.get(key), scope);
    const list = (v?.t === "list" ? v.items : v ? [v] : []).map((x) => strOf(resolve(x, scope)) ?? "?");
    if (list.length > 0) return `${list.length === 1 ? one : many} ${someNames(list)}`;
  }
  return undefined;
}

/** A GCP firewall: one rule per allow/deny block, sharing the resource's sources, priority and direction. */
function readGoogleFirewall(st: TfState, b: HclBlock, scope: Scope): void {
  const { ctx } = st;
  st.device = deviceOf(b.attrs, "network", "google_compute_network", scope);
  const name = b.labels[1];
  const direction = (attrString(b.attrs, "direction", scope) ?? "INGRESS").toUpperCase() === "EGRESS" ? "out" : "in";
  const disabled = resolve(b.attrs.get("disabled"), scope);
  const rangesKey = direction === "in" ? "source_ranges" : "destination_ranges";
  const byIdentity = ["source_tags", "source_service_accounts"].filter((k) => b.attrs.has(k));
  if (direction === "in" && byIdentity.length > 0)
    ctx.findings.push(
      finding(
        lineAt(ctx, b.attrs.get(byIdentity[0]!)!.line || b.line),
        "undefined-reference",
        `Rule "${name ?? ""}" also matches ${byIdentity.join(" and ")}: they are not resolved (they name VMs, not published addresses).`,
      ),
    );
  // No source at all: the API sets 0.0.0.0/0 (https://cloud.google.com/firewall/docs/firewalls#sources_for_rules,
  // https://github.com/hashicorp/terraform-provider-google/issues/6789); likewise no destination on an egress rule.
  const targets = direction === "in" ? gcpTargets(b.attrs, scope) : undefined;
  if (targets !== undefined) {
    const denies = b.blocks.some((x) => x.type === "deny" || (x.type === "dynamic" && x.labels[0] === "deny"));
    ctx.findings.push(
      finding(
        lineAt(ctx, b.line),
        "note",
        `Rule "${name ?? ""}" applies only to VMs with ${targets}: it is read as applying to the service's VM. If that VM does not have ${targets.startsWith("one of") ? "any of them" : "it"}, this rule ${denies ? "does not block it" : "does not let the connection in"}.`,
      ),
    );
  }
  const implied = !b.attrs.has(rangesKey) && (direction === "out" || byIdentity.length === 0);
  const src = implied
    ? [{ term: anySources([4], `0.0.0.0/0 (no ${rangesKey})`)[0]!, line: lineAt(ctx, b.line) }]
    : addresses(b.attrs.get(rangesKey), scope, ctx, b.line);
  const sources =
    src === "any" ? anySources([4, 6], "0.0.0.0/0").map((term) => ({ term, line: lineAt(ctx, b.line) })) : src;
  for (const { type, block: sub, scope: s } of subBlocks(b, ["allow", "deny"], scope, ctx)) {
    // A protocol name or "the IP protocol number" (6 is TCP), as the API takes it.
    const word = (strOf(resolve(sub.attrs.get("protocol"), s)) ?? "all").toLowerCase();
    const proto = GCP_PROTOCOL_NUMBERS[word] ?? word;
    const portsValue = resolve(sub.attrs.get("ports"), s);
    const ports: PortRange[] = [];
    for (const item of portsValue?.t === "list" ? portsValue.items : []) {
      const r = parsePortRange(strOf(resolve(item, s)) ?? "");
      if (r) ports.push(r);
      else ctx.findings.push(finding(lineAt(ctx, item.line), "invalid", "Not a port or port range."));
    }
    st.rules.push({
      order: st.order++,
      device: st.device,
      group: 1,
      priority: Number(attrString(b.attrs, "priority", scope) ?? 1000),
      action: type === "allow" ? "allow" : "deny",
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
    if (looksLikeTerraformJson(head)) return 0.97;
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
