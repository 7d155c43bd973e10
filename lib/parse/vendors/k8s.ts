/**
 * Kubernetes NetworkPolicy YAML: one or many documents (`---`), or `kubectl get networkpolicy -o yaml` (a List),
 * read with the `yaml` package (its LineCounter gives every address its line). Anchors, aliases and merge keys `<<`
 * are expanded as kubectl's go-yaml v2 reads them (yamlblock.ts); an alias not expanded allows nothing.
 *
 * Semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/): policies add up — a pod
 * that any policy selects for Ingress accepts only what the union of their ingress rules allows; a rule's `from`
 * peers are ORed and ANDed with its `ports`; a missing `from` or `ports` means all; `ipBlock` allows `cidr` minus
 * `except`; pod and namespace selectors stand for pods inside the cluster, never an Internet sender. A pod no policy
 * selects for Ingress accepts everything. A NetworkPolicy selects pods of its own namespace only ("An empty podSelector
 * matches all pods in this namespace", NetworkPolicySpec, networking.k8s.io/v1): the policies of the service's
 * namespace are on the path, those of other namespaces are not (see serviceNamespace).
 */
import { LineCounter, parseAllDocuments } from "yaml";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import { IPSet, type Range } from "../../ip";
import { newAddress } from "../../ip/address";
import { newRange } from "../../ip/range";
import { type AddressTerm, type Line, countLines, finding, readAddressTerm, someNames, TextLines } from "./common";
import { anySources, pathEntry } from "./hostcommon";
import { detectHead } from "./linuxcommon";
import { type YTree, fromYamlDocument, newYamlTrees, readBlockYaml, yGet as get } from "./yamlblock";

type Json = unknown;

type YNode = YTree | null | undefined;

interface Ctx {
  readonly lines: TextLines;
  readonly findings: Finding[];
}

function lineOfNode(ctx: Ctx, node: YNode, fallback: Line): Line {
  const n = node?.line;
  if (n === undefined) return fallback;
  return ctx.lines.line(n) ?? fallback;
}

function scalar(node: YNode): Json {
  return node?.kind === "scalar" ? node.value : undefined;
}

function seq(node: YNode): YTree[] {
  return node?.kind === "seq" ? (node.items as YTree[]) : [];
}

function isSeq(node: YNode): boolean {
  return node?.kind === "seq";
}

/**
 * A node not read: an alias not expanded (undefined, containing itself, or past the expansion limit), already a
 * finding. Read as allowing nothing: never as a missing field, which would allow every port, every source, or
 * everything of an except.
 */
function unread(node: YNode): boolean {
  return node?.kind === "other";
}

/**
 * A list item the API server decodes as an object (a rule, a port) that is a list or a scalar, as an alias of the
 * wrong node or "ports: [443]" gives: it cannot be decoded, so the policy is rejected. Read as missing (an empty
 * rule, a port entry without a port) it would allow every source or every port.
 */
function notAMapping(ctx: Ctx, node: YNode, at: Line, what: string): boolean {
  if (node === null || node === undefined || node.kind === "map") return false;
  ctx.findings.push(
    finding(
      lineOfNode(ctx, node, at),
      "invalid",
      `${what} must be a mapping, not a ${node.kind === "seq" ? "list" : "single value"}: the API server rejects this policy, so it allows nothing.`,
    ),
  );
  return true;
}

/** A port entry with a field not read: a missing port or protocol would be every one. */
function unreadPort(p: YNode): boolean {
  return unread(p) || unread(get(p, "port")) || unread(get(p, "endPort")) || unread(get(p, "protocol"));
}

/**
 * The documents' roots as the `yaml` package reads them, anchors and aliases expanded and merge keys `<<` merged, as
 * kubectl's go-yaml v2 reads them (yamlblock.ts); its errors and what the expansion met become findings. A string
 * when it fails.
 */
function readWithPackage(text: string, ctx: Ctx, first: Line): (YTree | null)[] | string {
  const lc = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, merge: true });
  } catch (e) {
    return `Not YAML: ${e instanceof Error ? e.message : String(e)}`;
  }
  const roots: (YTree | null)[] = [];
  const trees = newYamlTrees(lc);
  for (const doc of Array.isArray(docs) ? docs : []) {
    for (const err of doc.errors) {
      const n = err.linePos?.[0]?.line ?? 1;
      ctx.findings.push(finding(ctx.lines.line(n) ?? first, "invalid", `YAML: ${err.message.split("\n")[0]}`));
    }
    roots.push(fromYamlDocument(doc.contents, trees));
  }
  for (const p of trees.problems) ctx.findings.push(finding(ctx.lines.line(p.line) ?? first, p.kind, p.message));
  return roots;
}

/**
 * Every NetworkPolicy of the documents (a List's items too), with its name; a LoadBalancer Service's source ranges and
 * an ingress-nginx Ingress's source-range annotations become places of their own on the path (`read.fronts`); other
 * kinds are noted.
 */
function readPolicies(
  roots: readonly (YTree | null)[],
  ctx: Ctx,
  first: Line,
  read: Reading,
): { node: YTree; name: string }[] {
  const policies: { node: YTree; name: string }[] = [];
  for (const root of roots) {
    const kind = scalar(get(root, "kind"));
    const candidates =
      kind === "List" || kind === "NetworkPolicyList" || kind === "ServiceList" || kind === "IngressList"
        ? seq(get(root, "items"))
        : root
          ? [root]
          : [];
    for (const item of candidates) {
      const k = scalar(get(item, "kind"));
      if (k !== "NetworkPolicy") {
        const done =
          k === "Service"
            ? serviceRanges(item, first, read)
            : k === "Ingress"
              ? ingressRanges(item, first, read)
              : (k === "CiliumNetworkPolicy" || k === "CiliumClusterwideNetworkPolicy") &&
                ciliumPolicy(item, first, read);
        if (k !== undefined && !done)
          ctx.findings.push(
            finding(lineOfNode(ctx, item, first), "note", `A ${String(k)} is not a NetworkPolicy: not read.`),
          );
        continue;
      }
      policies.push({ node: item, name: String(scalar(get(get(item, "metadata"), "name")) ?? "") });
    }
  }
  return policies;
}

/** Cilium entities outside the cluster: "world" (every address outside it) and "all". */
const CILIUM_ANY_ENTITIES: ReadonlySet<string> = new Set(["world", "all"]);

/**
 * A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy (spec, or a list under specs), read as
 * https://docs.cilium.io/en/stable/security/policy/language/ describes: a policy with ingress or ingressDeny rules puts
 * the pods it selects in default deny for ingress (unless enableDefaultDeny.ingress is false); a rule's
 * fromCIDR, fromCIDRSet (cidr minus except) and fromEntities world/all peers are ORed and ANDed with its toPorts; a
 * rule with toPorts and no peer matches every source, an empty rule none; deny rules win over allows
 * (https://docs.cilium.io/en/stable/security/policy/language/#deny-policies). Endpoint, node and other entity peers
 * are inside the cluster.
 */
function ciliumPolicy(item: YTree, first: Line, read: Reading): boolean {
  const { ctx } = read;
  const name = String(scalar(get(get(item, "metadata"), "name")) ?? "");
  const at = lineOfNode(ctx, item, first);
  const spec = get(item, "spec");
  const specs = spec !== undefined && spec !== null ? [spec] : seq(get(item, "specs"));
  for (const sp of specs) {
    const allows = get(sp, "ingress");
    const denies = get(sp, "ingressDeny");
    const defaultDeny = scalar(get(get(sp, "enableDefaultDeny"), "ingress"));
    // "If not specified, the default is true for each traffic direction that has rules" (Rule.enableDefaultDeny).
    if ((seq(allows).length > 0 || seq(denies).length > 0) && defaultDeny !== false) read.isolated = true;
    for (const [rules, action] of [
      [allows, "allow"],
      [denies, "deny"],
    ] as const)
      for (const rule of seq(rules)) {
        if (unread(rule)) continue;
        const ruleLine = lineOfNode(ctx, rule, at);
        const toPorts = get(rule, "toPorts");
        const ports = toPorts === undefined || toPorts === null ? [{}] : ciliumPorts(ctx, toPorts, ruleLine);
        if (ports.length === 0) continue;
        const out = action === "deny" ? read.denies : read.entries;
        const push = (line: Line, term: AddressTerm) => {
          for (const p of ports)
            out.push(
              pathEntry(line, term, {
                action,
                direction: "in",
                protocol: p.protocol,
                ports: p.ports,
                ruleLine: ruleLine.n,
                comment: name,
              }),
            );
        };
        let peers = 0;
        for (const n of seq(get(rule, "fromCIDR"))) {
          peers++;
          if (unread(n)) continue;
          const r = readAddressTerm(String(scalar(n) ?? ""));
          if (r.ok) push(lineOfNode(ctx, n, ruleLine), r.term);
          else ctx.findings.push(finding(lineOfNode(ctx, n, ruleLine), r.kind, r.message));
        }
        for (const set of seq(get(rule, "fromCIDRSet"))) {
          peers++;
          if (unread(set)) continue;
          if (get(set, "cidr") === undefined) {
            ctx.findings.push(
              finding(
                lineOfNode(ctx, set, ruleLine),
                "not-understood",
                "A fromCIDRSet entry without a cidr (a CIDR group): not read.",
              ),
            );
            continue;
          }
          const before = out.length;
          ipBlockEntries(ctx, set, ruleLine, ports, name, out);
          for (let i = before; i < out.length; i++) out[i] = { ...out[i]!, action };
        }
        for (const n of seq(get(rule, "fromEntities"))) {
          peers++;
          if (unread(n)) continue;
          const entity = String(scalar(n) ?? "").toLowerCase();
          if (CILIUM_ANY_ENTITIES.has(entity))
            for (const term of anySources([4, 6], `entity ${entity}`)) push(lineOfNode(ctx, n, ruleLine), term);
          else read.selectorPeers = true;
        }
        for (const key of ["fromEndpoints", "fromRequires", "fromNodes", "fromGroups"])
          if (get(rule, key) !== undefined) {
            peers++;
            read.selectorPeers = true;
          }
        // toPorts alone: every source on those ports.
        if (peers === 0 && toPorts !== undefined && toPorts !== null)
          for (const term of anySources([4, 6], "all sources")) push(ruleLine, term);
      }
  }
  return true;
}

/** A Cilium rule's toPorts as [protocol, ports] pairs: port "0" or none is every port, protocol ANY every protocol. */
function ciliumPorts(ctx: Ctx, node: YNode, at: Line): { protocol?: string; ports?: PortRange[] }[] {
  const out: { protocol?: string; ports?: PortRange[] }[] = [];
  for (const pr of seq(node)) {
    if (unread(pr) || unread(get(pr, "ports")) || notAMapping(ctx, pr, at, "A toPorts entry (PortRule)")) continue;
    const list = seq(get(pr, "ports"));
    if (list.length === 0) out.push({});
    for (const p of list) {
      if (unreadPort(p) || notAMapping(ctx, p, at, "A port entry (PortProtocol)")) continue;
      const line = lineOfNode(ctx, p, at);
      const raw = String(scalar(get(p, "protocol")) ?? "ANY").toLowerCase();
      const protocol = raw === "any" ? undefined : raw;
      const text = String(scalar(get(p, "port")) ?? "0");
      const end = scalar(get(p, "endPort"));
      if (!/^\d+$/.test(text)) {
        ctx.findings.push(
          finding(
            line,
            "not-understood",
            `Named port "${text}" is the container's port name, not a number: this port is not read.`,
          ),
        );
        continue;
      }
      const port = Number(text);
      const to = typeof end === "number" ? end : port;
      if (port === 0) out.push({ protocol });
      else if (port <= 65535 && to >= port && to <= 65535) out.push({ protocol, ports: [{ from: port, to }] });
      else ctx.findings.push(finding(line, "invalid", `Port ${text} is not a port or range.`));
    }
  }
  return out;
}

/** A place in front of the pods: a LoadBalancer Service's source ranges or an Ingress's source-range annotations. */
interface Front {
  readonly name: string;
  readonly line: number;
  readonly text: string;
  readonly fallthrough: "allow" | "deny";
  readonly reason: string;
}

/** A comma-separated list of CIDRs (an annotation's value), each with the annotation's line. */
function commaList(node: YNode): string[] {
  const v = scalar(node);
  return typeof v === "string"
    ? v
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== "")
    : [];
}

/** Entries of the CIDRs `list` (strings or nodes) in context `context`; unreadable ones are findings. */
function rangeEntries(
  read: Reading,
  list: readonly { text: string; line: Line }[],
  action: "allow" | "deny",
  context: number,
  comment: string,
): void {
  for (const { text, line } of list) {
    const r = readAddressTerm(text);
    if (!r.ok) {
      read.ctx.findings.push(finding(line, r.kind, r.message));
      continue;
    }
    read.entries.push(pathEntry(line, r.term, { action, direction: "in", comment, context }));
  }
}

const LB_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

/**
 * A Service of type LoadBalancer with spec.loadBalancerSourceRanges (or, without it, the annotation
 * service.beta.kubernetes.io/load-balancer-source-ranges): the cloud load balancer lets only those sources in
 * (https://kubernetes.io/docs/reference/networking/virtual-ips/ and
 * https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-client-source-ip-addresses-for-load-balancers).
 * False when the Service restricts nothing (it is then noted as not read).
 */
function serviceRanges(item: YTree, first: Line, read: Reading): boolean {
  const { ctx } = read;
  const meta = get(item, "metadata");
  const spec = get(item, "spec");
  const name = String(scalar(get(meta, "name")) ?? "");
  const at = lineOfNode(ctx, item, first);
  const field = get(spec, "loadBalancerSourceRanges");
  const annotation = get(get(meta, "annotations"), LB_RANGES_ANNOTATION);
  const fromField = seq(field).length > 0 || unread(field);
  // A value not read lets no client in.
  const unknown = fromField ? unread(field) : unread(annotation);
  const list: { text: string; line: Line }[] = fromField
    ? seq(field).map((n) => ({ text: String(scalar(n) ?? ""), line: lineOfNode(ctx, n, at) }))
    : commaList(annotation).map((text) => ({ text, line: lineOfNode(ctx, annotation, at) }));
  if (list.length === 0 && !unknown) return false;
  if (scalar(get(spec, "type")) !== "LoadBalancer") {
    ctx.findings.push(
      finding(
        at,
        "note",
        `Service "${name}" is not of type LoadBalancer: its source ranges restrict nothing (only a cloud load balancer applies them).`,
      ),
    );
    return true;
  }
  const context = 1 + read.fronts.length;
  read.fronts.push({
    name: `Service ${name} (loadBalancerSourceRanges)`,
    line: at.n,
    text: at.text,
    fallthrough: "deny",
    reason: "the cloud load balancer lets in only its source ranges",
  });
  rangeEntries(read, list, "allow", context, name);
  return true;
}

/**
 * An Ingress with ingress-nginx's nginx.ingress.kubernetes.io/allowlist-source-range (or its older name
 * whitelist-source-range) and denylist-source-range annotations: the controller refuses other clients, denylist first
 * (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#allowlist-source-range).
 * An Ingress of another class is not ingress-nginx's: its annotations are noted. False when it has none.
 */
function ingressRanges(item: YTree, first: Line, read: Reading): boolean {
  const { ctx } = read;
  const meta = get(item, "metadata");
  const annotations = get(meta, "annotations");
  const name = String(scalar(get(meta, "name")) ?? "");
  const at = lineOfNode(ctx, item, first);
  const key = (suffix: string) => get(annotations, `nginx.ingress.kubernetes.io/${suffix}`);
  const allowNode = key("allowlist-source-range") ?? key("whitelist-source-range");
  const denyNode = key("denylist-source-range");
  // A value not read lets no client in.
  const unknown = unread(allowNode) || unread(denyNode);
  const allow = unknown ? [] : commaList(allowNode).map((text) => ({ text, line: lineOfNode(ctx, allowNode, at) }));
  const deny = unknown ? [] : commaList(denyNode).map((text) => ({ text, line: lineOfNode(ctx, denyNode, at) }));
  if (allow.length === 0 && deny.length === 0 && !unknown) return false;
  const cls = String(
    scalar(get(get(item, "spec"), "ingressClassName")) ?? scalar(get(annotations, "kubernetes.io/ingress.class")) ?? "",
  );
  if (cls !== "" && !cls.toLowerCase().includes("nginx")) {
    ctx.findings.push(
      finding(
        at,
        "note",
        `Ingress "${name}" is of class "${cls}": the nginx.ingress.kubernetes.io source-range annotations are ingress-nginx's, and another controller ignores them. Not read.`,
      ),
    );
    return true;
  }
  const context = 1 + read.fronts.length;
  read.fronts.push({
    name: `Ingress ${name} (ingress-nginx source ranges)`,
    line: at.n,
    text: at.text,
    fallthrough: allow.length > 0 || unknown ? "deny" : "allow",
    reason: unknown
      ? "a source-range annotation is not read: read as letting no client in"
      : allow.length > 0
        ? "ingress-nginx answers 403 to a client outside allowlist-source-range"
        : "ingress-nginx answers 403 to a client in denylist-source-range",
  });
  rangeEntries(read, deny, "deny", context, name);
  rangeEntries(read, allow, "allow", context, name);
  return true;
}

/** What the policies read so far give. */
interface Reading {
  readonly ctx: Ctx;
  readonly entries: Entry[];
  /** Some policy selects the pods for Ingress. */
  isolated: boolean;
  /** Some peer is a pod or namespace selector. */
  selectorPeers: boolean;
  /** Services and Ingresses that restrict sources: contexts 1… of the path, in reading order. */
  readonly fronts: Front[];
  /** Cilium deny rules: they win over every allow, so they come first. */
  readonly denies: Entry[];
  /** The namespace of each NetworkPolicy entry ("": none given, kubectl's current namespace). */
  readonly namespaceOf: Map<Entry, string>;
  /** The NetworkPolicies' namespaces in reading order, with the line of the first policy of each. */
  readonly namespaces: Map<string, number>;
  /** The namespaces some NetworkPolicy of which selects pods for Ingress. */
  readonly isolating: Set<string>;
}

function newReading(lines: TextLines): Reading {
  return {
    ctx: { lines, findings: [] },
    entries: [],
    isolated: false,
    selectorPeers: false,
    fronts: [],
    denies: [],
    namespaceOf: new Map(),
    namespaces: new Map(),
    isolating: new Set(),
  };
}

/** The NetworkPolicies of the documents `roots`: their entries and findings join `read`'s. */
function readRoots(roots: readonly (YTree | null)[], first: Line, read: Reading): void {
  const { ctx, entries } = read;
  for (const { node, name } of readPolicies(roots, ctx, first, read)) {
    const spec = get(node, "spec");
    const at = lineOfNode(ctx, node, first);
    const types = seq(get(spec, "policyTypes")).map((t) => String(scalar(t)));
    const ingress = get(spec, "ingress");
    const forIngress = types.length > 0 ? types.includes("Ingress") : true;
    const namespace = String(scalar(get(get(node, "metadata"), "namespace")) ?? "");
    if (!read.namespaces.has(namespace)) read.namespaces.set(namespace, at.n);
    if (!forIngress) continue;
    read.isolating.add(namespace);
    const start = entries.length;
    readIngressRules(read, ingress, at, name);
    for (let i = start; i < entries.length; i++) read.namespaceOf.set(entries[i]!, namespace);
  }
}

/** The entries of one NetworkPolicy's ingress rules. */
function readIngressRules(read: Reading, ingress: YNode, at: Line, name: string): void {
  const { ctx, entries } = read;
  {
    for (const rule of seq(ingress)) {
      if (unread(rule) || notAMapping(ctx, rule, at, "An ingress rule (NetworkPolicyIngressRule)")) continue;
      const ruleLine = lineOfNode(ctx, rule, at);
      const ports = readPorts(ctx, get(rule, "ports"), ruleLine);
      if (ports === null) continue;
      const from = get(rule, "from");
      const peers = from === undefined || from === null ? undefined : seq(from);
      if (peers === undefined || (isSeq(from) && peers.length === 0)) {
        // No "from": every source.
        for (const p of ports)
          for (const term of anySources([4, 6], "all sources"))
            entries.push(
              pathEntry(ruleLine, term, {
                action: "allow",
                direction: "in",
                protocol: p.protocol,
                ports: p.ports,
                comment: name,
              }),
            );
        continue;
      }
      for (const peer of peers) {
        if (unread(peer)) continue;
        const ipBlock = get(peer, "ipBlock");
        if (ipBlock === undefined || ipBlock === null) {
          read.selectorPeers = true;
          continue;
        }
        // "If this field is set then neither of the other fields can be" (NetworkPolicyPeer, networking.k8s.io/v1):
        // the API server refuses such a policy, so it admits nothing.
        const other =
          get(peer, "podSelector") !== undefined
            ? "podSelector"
            : get(peer, "namespaceSelector") !== undefined
              ? "namespaceSelector"
              : undefined;
        if (other) {
          ctx.findings.push(
            finding(
              lineOfNode(ctx, ipBlock, ruleLine),
              "invalid",
              `An ipBlock peer cannot also have a ${other}: the API server rejects this policy, so it allows nothing.`,
            ),
          );
          continue;
        }
        ipBlockEntries(ctx, ipBlock, ruleLine, ports, name, entries);
      }
    }
  }
}

/**
 * The namespace of the service's pods: the one `ingress` names, else the only one the policies are in, else the first
 * whose policies isolate pods for ingress (the service is behind a default deny), else the first; and the sentence
 * saying so when there was a choice. "" is a policy without metadata.namespace (applied in kubectl's namespace).
 */
function serviceNamespace(read: Reading, ingress: string | undefined): { namespace: string; said?: string } {
  const all = [...read.namespaces.keys()];
  const label = (ns: string) => (ns === "" ? "the current namespace (no metadata.namespace)" : `namespace ${ns}`);
  const others = (ns: string) => all.filter((n) => n !== ns).map(label);
  if (ingress !== undefined)
    return { namespace: ingress, said: `The service's pods are in namespace ${ingress} (--ingress).` };
  if (all.length <= 1) return { namespace: all[0] ?? "" };
  const isolating = all.filter((n) => read.isolating.has(n));
  const namespace = isolating[0] ?? all[0]!;
  const why =
    isolating.length === 0
      ? "the first the policies name"
      : isolating.length === 1
        ? "the one whose policies isolate pods for ingress"
        : `the first of ${isolating.length} whose policies isolate pods for ingress`;
  return {
    namespace,
    said: `The service's pods are read as in ${label(namespace)} (${why}); the policies of ${someNames(others(namespace))} select other pods. Override with --ingress <namespace>.`,
  };
}

export function parseK8s(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = new TextLines(text);
  const first: Line = lines.at(1);
  // The block-YAML subset manifests are written in is read directly (yamlblock.ts), each document as soon as it is
  // read: its tree is not kept. Anything else goes through the `yaml` package, whose errors become findings, and
  // what the documents before the one outside the subset gave is read again from the package's roots. (The findings
  // are sorted by line, so reading document by document orders them as reading all documents at once does.)
  let read = newReading(lines);
  if (!readBlockYaml(text, (root) => readRoots([root], first, read))) {
    read = newReading(lines);
    const roots = readWithPackage(text, read.ctx, first);
    if (typeof roots === "string")
      return {
        format: "k8s",
        entries: [],
        findings: [finding(first, "invalid", roots)],
        lineCount: countLines(text),
        notes: [],
      };
    readRoots(roots, first, read);
  }
  const { selectorPeers, fronts } = read;
  const { namespace, said } = serviceNamespace(read, options.ingress);
  const isolated = read.isolated || read.isolating.has(namespace);
  const offPath = [...read.namespaces.keys()].filter((n) => n !== namespace);
  const entries = read.denies.length > 0 ? [...read.denies, ...read.entries] : read.entries;
  const entryNamespaces = entries.map((e) => read.namespaceOf.get(e));
  const findings = read.ctx.findings;
  // The load balancer and the ingress controller come before the pods: their contexts first, the policies' last.
  if (fronts.length > 0)
    for (let i = 0; i < entries.length; i++) {
      const { context, ...rest } = entries[i]!;
      const c = context === undefined || context === 0 ? fronts.length : context - 1;
      entries[i] = c === 0 ? rest : { ...rest, context: c };
    }
  // Another namespace's policies: contexts after the service's, off the path.
  if (offPath.length > 0)
    for (let i = 0; i < entries.length; i++) {
      const ns = entryNamespaces[i];
      const k = ns === undefined ? -1 : offPath.indexOf(ns);
      if (k >= 0) entries[i] = { ...entries[i]!, context: fronts.length + 1 + k };
    }
  const offContexts: PathContext[] = offPath.map((ns) => ({
    name: ns === "" ? "NetworkPolicies without a namespace" : `NetworkPolicies of namespace ${ns}`,
    line: read.namespaces.get(ns) ?? 0,
    text: "",
    fallthrough: "allow",
    onPath: false,
    reason: `a NetworkPolicy selects pods of its own namespace only; the service's pods are read as in ${namespace === "" ? "the current namespace" : `namespace ${namespace}`}`,
  }));
  const notes: string[] = [];
  if (selectorPeers)
    notes.push("Pod and namespace selectors stand for pods inside the cluster: they never admit an Internet sender.");
  return {
    format: "k8s",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    path: {
      contexts: [
        ...fronts.map((f) => ({ ...f, onPath: true })),
        {
          name: "NetworkPolicies selecting the service's pods",
          line: 0,
          text: "",
          fallthrough: isolated ? "deny" : "allow",
          onPath: true,
          reason: isolated
            ? "a policy isolates the pods for ingress: only what some policy allows gets in"
            : "no policy isolates the pods for ingress",
          // The namespace a missing delta's policy must be created in to select these pods.
          ...(namespace !== ""
            ? {
                list: { kind: "k8s-namespace" as const, name: namespace, boundOn: `namespace ${namespace}`, rules: [] },
              }
            : {}),
        },
        ...offContexts,
      ],
      kind: "input",
      assumption: `Read as if every policy selects the service's pods, and the sender's address reaches them unchanged (externalTrafficPolicy: Local, or an ingress controller that keeps it); with SNAT the pods see a node's address instead. Policy ports are the pods' own (a Service's targetPort): check that port with --port.${fronts.length > 0 ? ` ${someNames(fronts.map((f) => f.name))}: read as in front of the service, each must let the sender in (source ranges hold for every port).` : ""}${said !== undefined ? ` ${said}` : ""}`,
    },
  };
}

/** One `ipBlock` peer's entries: its cidr minus its `except`s, for each of the rule's ports. */
function ipBlockEntries(
  ctx: Ctx,
  ipBlock: YTree,
  ruleLine: Line,
  ports: readonly { protocol?: string; ports?: PortRange[] }[],
  name: string,
  entries: Entry[],
): void {
  const cidrNode = get(ipBlock, "cidr");
  if (unread(ipBlock) || unread(cidrNode) || unread(get(ipBlock, "except"))) return;
  const cidrLine = lineOfNode(ctx, cidrNode, ruleLine);
  const cidr = String(scalar(cidrNode) ?? "");
  const read = readAddressTerm(cidr);
  if (!read.ok || !cidr.includes("/")) {
    ctx.findings.push(
      finding(cidrLine, read.ok ? "invalid" : read.kind, read.ok ? `"${cidr}" is not a CIDR.` : read.message),
    );
    return;
  }
  const exceptNodes = seq(get(ipBlock, "except"));
  const excepted: Range[] = [];
  for (const ex of exceptNodes) {
    const e = readAddressTerm(String(scalar(ex) ?? ""));
    if (!e.ok) ctx.findings.push(finding(lineOfNode(ctx, ex, cidrLine), e.kind, e.message));
    else excepted.push(e.term.range);
  }
  let terms: readonly AddressTerm[] = [read.term];
  if (excepted.length > 0) {
    const token = `${cidr} except ${exceptNodes.map((x) => String(scalar(x))).join(", ")}`;
    terms = rangeMinus(read.term.range, excepted).map((range) => ({ token, range, kind: "range" as const }));
  }
  for (const term of terms)
    for (const p of ports)
      entries.push(
        pathEntry(cidrLine, term, {
          action: "allow",
          direction: "in",
          protocol: p.protocol,
          ports: p.ports,
          ruleLine: ruleLine.n,
          comment: name,
        }),
      );
}

/** r minus the `except` ranges: one except (the usual case) directly, several through an IPSet. */
function rangeMinus(r: Range, except: readonly Range[]): readonly Range[] {
  if (except.length > 1) return IPSet.of(r).difference(IPSet.fromRanges(except)).ranges;
  const e = except[0]!;
  if (e.first.family !== r.first.family || e.last.value < r.first.value || e.first.value > r.last.value) return [r];
  const out: Range[] = [];
  const family = r.first.family;
  if (e.first.value > r.first.value) out.push(newRange(r.first, newAddress(family, e.first.value - 1n)));
  if (e.last.value < r.last.value) out.push(newRange(newAddress(family, e.last.value + 1n), r.last));
  return out;
}

/** The rule's ports as [protocol, ports] pairs; missing = every port and protocol; null when none can be read. */
function readPorts(ctx: Ctx, node: YNode, at: Line): { protocol?: string; ports?: PortRange[] }[] | null {
  if (unread(node)) return null;
  const items = seq(node);
  if (node === undefined || node === null || items.length === 0) return [{}];
  const out: { protocol?: string; ports?: PortRange[] }[] = [];
  for (const p of items) {
    if (unreadPort(p) || notAMapping(ctx, p, at, "A port entry (NetworkPolicyPort)")) continue;
    const line = lineOfNode(ctx, p, at);
    const protocol = String(scalar(get(p, "protocol")) ?? "TCP").toLowerCase();
    const port = scalar(get(p, "port"));
    const end = scalar(get(p, "endPort"));
    if (port === undefined || port === null) {
      out.push({ protocol });
      continue;
    }
    if (typeof port !== "number") {
      ctx.findings.push(
        finding(
          line,
          "not-understood",
          `Named port "${String(port)}" is the container's port name, not a number: this port is not read.`,
        ),
      );
      continue;
    }
    const to = typeof end === "number" ? end : port;
    if (!Number.isInteger(port) || !Number.isInteger(to) || port < 1 || to > 65535 || to < port) {
      ctx.findings.push(
        finding(
          line,
          "invalid",
          `Port ${String(port)}${end !== undefined ? `-${String(end)}` : ""} is not a port or range.`,
        ),
      );
      continue;
    }
    out.push({ protocol, ports: [{ from: port, to }] });
  }
  return out.length > 0 ? out : null;
}

export const k8sParser: Parser = {
  id: "k8s",
  label: "Kubernetes NetworkPolicy (YAML)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\s*kind:\s*(?:Cilium(?:Clusterwide)?)?NetworkPolicy\s*$/m.test(head)) return 0.97;
    // \`kubectl get networkpolicy -o json\`: JSON is YAML, read the same way.
    if (/"kind"\s*:\s*"(?:Cilium(?:Clusterwide)?)?NetworkPolicy"/.test(head)) return 0.97;
    if (/^\s*-?\s*ipBlock:\s*$/m.test(head) && /^\s*-?\s*cidr:\s/m.test(head)) return 0.85;
    // A Service's source ranges or ingress-nginx's source-range annotations.
    if (
      /^\s*kind:\s*(?:Service|Ingress)\s*$/m.test(head) &&
      /^\s*(?:loadBalancerSourceRanges:|["']?(?:service\.beta\.kubernetes\.io\/load-balancer-source-ranges|nginx\.ingress\.kubernetes\.io\/(?:allow|white|deny)list-source-range)["']?:)/m.test(
        head,
      )
    )
      return 0.9;
    return 0;
  },
  parse: parseK8s,
};
