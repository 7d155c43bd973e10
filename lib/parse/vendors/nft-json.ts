/**
 * nftables JSON (`nft -j list ruleset`, libnftables-json(5)): converted to the nft text the nftables reader
 * (nftables.ts) reads — tables, base chains with hook/priority/policy, named sets with their elements, and rules
 * made of matches (payload, meta, ct) and verdicts — one statement per line, then entries and findings are mapped back
 * to the line of the JSON object they came from (the whole paste is often one line).
 * Statements the reader does not need (counter, log, limit, nat) are dropped; expressions it cannot express become a
 * finding on their rule.
 */
import type { Finding, ParseOptions, ParseOutput, Parser } from "../types";
import { type Line, TextLines, finding } from "./common";
import { type JNode, cursor, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { detectHead } from "./linuxcommon";
import { nftablesParser } from "./nftables";
import { relocate } from "./relocate";

function lit(n: JNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.t === "str") return n.v;
  if (n.t === "num") return String(n.v);
  return undefined;
}

/** A JSON expression as nft text, or undefined when it cannot be written. */
function expr(n: JNode | undefined): string | undefined {
  if (!n) return undefined;
  const l = lit(n);
  if (l !== undefined) return l.startsWith("@") ? l : /^[\w.:/-]+$/.test(l) ? l : `"${l.replace(/"/g, "")}"`;
  if (n.t === "arr") {
    const parts = n.items.map(expr);
    return parts.every((p) => p !== undefined) ? `{ ${parts.join(", ")} }` : undefined;
  }
  if (n.t !== "obj") return undefined;
  const key = n.fields.firstKey();
  const v = n.fields.firstValue();
  switch (key) {
    case "payload": {
      const proto = str(field(v, "protocol"));
      const f = str(field(v, "field"));
      return proto && f ? `${proto} ${f}` : undefined;
    }
    case "meta":
      return str(field(v, "key")) !== undefined ? `meta ${str(field(v, "key"))}` : undefined;
    case "ct": {
      // {"ct": {"key": "proto-dst", "dir": "original"}} → "ct original proto-dst".
      const dir = str(field(v, "dir"));
      return str(field(v, "key")) !== undefined ? `ct ${dir ? `${dir} ` : ""}${str(field(v, "key"))}` : undefined;
    }
    case "fib": {
      // {"fib": {"result": "oif", "flags": ["saddr", "iif"]}} → "fib saddr . iif oif".
      const result = str(field(v, "result"));
      const flags = items(field(v, "flags")).map(str);
      return result && flags.length > 0 && flags.every((f) => f !== undefined)
        ? `fib ${flags.join(" . ")} ${result}`
        : undefined;
    }
    case "prefix": {
      const addr = expr(field(v, "addr"));
      const len = num(field(v, "len"));
      return addr !== undefined && len !== undefined ? `${addr}/${len}` : undefined;
    }
    case "range": {
      const [a, b] = items(v).map(expr);
      return a !== undefined && b !== undefined ? `${a}-${b}` : undefined;
    }
    case "set": {
      const parts = items(v).map(expr);
      return parts.every((p) => p !== undefined) ? `{ ${parts.join(", ")} }` : undefined;
    }
    case "elem":
      return expr(field(v, "val"));
    case "concat": {
      const parts = items(v).map(expr);
      return parts.length > 0 && parts.every((p) => p !== undefined) ? parts.join(" . ") : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * {"dnat": {"family": "ip", "addr": "10.0.0.5", "port": 8443}} → "dnat ip to 10.0.0.5:8443"; {"redirect": {"port":
 * 8443}} → "redirect to :8443" (libnftables-json(5) DNAT, REDIRECT). What cannot be written keeps the word alone (the
 * reader then does not know its port).
 */
function natText(key: string, v: JNode | undefined): string {
  const fam = str(field(v, "family"));
  const addr = lit(field(v, "addr"));
  const port = lit(field(v, "port"));
  const portOk = port === undefined || /^\d+$/.test(port);
  if (key === "redirect")
    return port !== undefined && portOk ? `redirect to :${port}` : port === undefined ? "redirect" : "redirect to :x";
  if (addr === undefined || !portOk || !/^[\w.:]+$/.test(addr)) return "dnat to x:x";
  const a = addr.includes(":") ? `[${addr}]` : addr;
  return `dnat ${fam ? `${fam} ` : ""}to ${a}${port !== undefined ? `:${port}` : ""}`;
}

/** A verdict object ({"accept": null}, {"jump": {"target": "x"}}) as nft text. */
function verdictText(n: JNode | undefined): string | undefined {
  if (!n || n.t !== "obj") return undefined;
  const key = n.fields.firstKey();
  const v = n.fields.firstValue();
  if (key !== undefined && VERDICTS.has(key)) return key;
  if (key === "jump" || key === "goto") {
    const target = str(field(v, "target"));
    return target ? `${key} ${target}` : undefined;
  }
  return undefined;
}

/** A verdict map's element, [key, verdict] (libnftables-json(5) MAP, VERDICT MAP), as "key : verdict". */
function mapElem(n: JNode): string | undefined {
  const [k, v] = items(n);
  const key = expr(k);
  const verdict = verdictText(v);
  return key !== undefined && verdict !== undefined ? `${key} : ${verdict}` : undefined;
}

/** "KEY vmap @name" or "KEY vmap { k : v, … }". */
function vmapText(v: JNode | undefined): string | undefined {
  const key = expr(field(v, "key"));
  const data = field(v, "data");
  if (key === undefined || !data) return undefined;
  const named = lit(data);
  if (named !== undefined) return named.startsWith("@") ? `${key} vmap ${named}` : undefined;
  if (data.t !== "obj") return undefined;
  const dk = data.fields.firstKey();
  const dv = data.fields.firstValue();
  if (dk !== "set") return undefined;
  const elems = items(dv).map(mapElem);
  return elems.every((e) => e !== undefined) ? `${key} vmap { ${elems.join(", ")} }` : undefined;
}

const VERDICTS = new Set(["accept", "drop", "reject", "return", "continue"]);
const IGNORED = new Set(["counter", "log", "limit", "comment", "mangle", "quota", "snat", "masquerade", "xt"]);

/**
 * The word a match or statement the reader cannot express becomes: the nftables reader reads it as an unknown
 * expression (a condition not decided: an accept with it is not counted on, a drop is), as it reads the same rule
 * in nft text; the rule's verdict is kept.
 */
const UNREADABLE = "meta unreadable-json-expression";

/** One rule's statements as nft text, or a reason it cannot be written. */
function ruleText(exprs: readonly JNode[]): { text: string } | { error: string } {
  const out: string[] = [];
  for (const s of exprs) {
    if (s.t !== "obj") return { error: "a statement that is not an object" };
    const key = s.fields.firstKey();
    const v = s.fields.firstValue();
    if (key === undefined) continue;
    if (key === "match") {
      const left = expr(field(v, "left"));
      const r = field(v, "right");
      // A fib oif lookup compares with a boolean: false is "missing", true "exists".
      const right = r?.t === "lit" && typeof r.v === "boolean" ? (r.v ? "exists" : "missing") : expr(r);
      const op = str(field(v, "op")) ?? "==";
      if (left === undefined || right === undefined) out.push(UNREADABLE);
      else out.push(op === "==" || op === "in" ? `${left} ${right}` : `${left} ${op} ${right}`);
    } else if (VERDICTS.has(key)) out.push(key);
    else if (key === "jump" || key === "goto") {
      const target = str(field(v, "target"));
      if (!target) return { error: `a ${key} without a target` };
      out.push(`${key} ${target}`);
    } else if (key === "vmap") out.push(vmapText(v) ?? UNREADABLE);
    else if (key === "notrack") out.push("notrack");
    else if (key === "dnat" || key === "redirect") out.push(natText(key, v));
    else if (!IGNORED.has(key)) out.push(UNREADABLE);
  }
  return { text: out.join(" ") };
}

export function parseNftJson(text: string, options: ParseOptions = {}): ParseOutput {
  // Lines made when named (most of a ruleset's lines are never shown).
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const base = { format: "nftables-json" as const, lineCount: lines.length, notes: [] as string[] };
  // Streamed: each object of the "nftables" list (and each element of a big set) is built as it is read and dropped
  // once it is nft text.
  const json = readJson(text, lines, true);
  if (!json.ok) return { ...base, entries: [], findings: json.finding ? [json.finding] : [] };
  const at = (n: number): Line => lines.at(n);
  // Objects by table, in order; each converted statement remembers the JSON line it came from.
  const tables = new Map<
    string,
    { family: string; name: string; line: number; body: { text: string; line: number }[] }
  >();
  const chains = new Map<string, { text: string[]; line: number; rules: { text: string; line: number }[] }>();
  const tableOf = (family: string, name: string, line: number) => {
    const key = `${family} ${name}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { family, name, line, body: [] }));
    return t;
  };
  const objects = cursor(field(json.root, "nftables"));
  for (let o = objects.next(); o; o = objects.next()) {
    const kind = o.t === "obj" ? o.fields.firstKey() : undefined;
    const v = o.t === "obj" ? o.fields.firstValue() : undefined;
    if (!v) continue;
    const family = str(field(v, "family")) ?? "";
    if (kind === "table") tableOf(family, str(field(v, "name")) ?? "", v.line);
    else if (kind === "set") {
      const t = tableOf(family, str(field(v, "table")) ?? "", v.line);
      const type = str(field(v, "type")) ?? items(field(v, "type")).map(str).join(" . ");
      const flags = items(field(v, "flags"))
        .map(str)
        .filter((x): x is string => x !== undefined);
      const elems: (string | undefined)[] = [];
      const elemCursor = cursor(field(v, "elem"));
      for (let e = elemCursor.next(); e; e = elemCursor.next()) elems.push(expr(e));
      if (elems.some((e) => e === undefined))
        findings.push(
          finding(
            at(v.line),
            "not-understood",
            `Set "${str(field(v, "name")) ?? ""}" holds elements the reader cannot express.`,
          ),
        );
      const elements = elems.filter((e): e is string => e !== undefined);
      t.body.push({
        text: `set ${str(field(v, "name")) ?? ""} { type ${type}; ${flags.length > 0 ? `flags ${flags.join(", ")}; ` : ""}${elements.length > 0 ? `elements = { ${elements.join(", ")} }` : ""} }`,
        line: v.line,
      });
    } else if (kind === "map") {
      // A verdict map ("map": "verdict") keeps its elements; a data map only its type (it decides nothing).
      const t = tableOf(family, str(field(v, "table")) ?? "", v.line);
      const name = str(field(v, "name")) ?? "";
      const type = str(field(v, "type")) ?? items(field(v, "type")).map(str).join(" . ");
      const to = str(field(v, "map")) ?? "";
      const elems = to === "verdict" ? items(field(v, "elem")).map(mapElem) : [];
      if (elems.some((e) => e === undefined))
        findings.push(finding(at(v.line), "not-understood", `Map "${name}" holds elements the reader cannot express.`));
      const elements = elems.filter((e): e is string => e !== undefined);
      t.body.push({
        text: `map ${name} { type ${type} : ${to}; ${elements.length > 0 ? `elements = { ${elements.join(", ")} }` : ""} }`,
        line: v.line,
      });
    } else if (kind === "chain") {
      const t = tableOf(family, str(field(v, "table")) ?? "", v.line);
      const name = str(field(v, "name")) ?? "";
      const hook = str(field(v, "hook"));
      const head = hook
        ? `type ${str(field(v, "type")) ?? "filter"} hook ${hook} priority ${num(field(v, "prio")) ?? 0}; policy ${str(field(v, "policy")) ?? "accept"};`
        : "";
      const c = { text: head ? [head] : [], line: v.line, rules: [] as { text: string; line: number }[] };
      chains.set(`${family} ${t.name} ${name}`, c);
      t.body.push({ text: `chain ${name} {`, line: v.line });
      // The chain's statements are filled in below; its closing brace is added when the table is written.
      (t.body[t.body.length - 1] as { chain?: string }).chain = `${family} ${t.name} ${name}`;
    } else if (kind === "rule") {
      const key = `${family} ${str(field(v, "table")) ?? ""} ${str(field(v, "chain")) ?? ""}`;
      const c = chains.get(key);
      const r = ruleText(items(field(v, "expr")));
      if (!c)
        findings.push(finding(at(v.line), "not-understood", `A rule of chain ${key}, which the paste does not list.`));
      else if ("error" in r)
        findings.push(finding(at(v.line), "not-understood", `This rule holds ${r.error}: not read.`));
      else c.rules.push({ text: r.text, line: v.line });
    }
  }
  // nft text, one statement per line, with the JSON line of each.
  const out: string[] = [];
  const origin: number[] = [];
  const push = (t: string, line: number): void => {
    out.push(t);
    origin.push(line);
  };
  for (const t of tables.values()) {
    push(`table ${t.family} ${t.name} {`, t.line);
    for (const b of t.body) {
      const chainKey = (b as { chain?: string }).chain;
      push(b.text, b.line);
      if (chainKey) {
        const c = chains.get(chainKey)!;
        for (const h of c.text) push(h, c.line);
        for (const r of c.rules) push(r.text, r.line);
        push("}", c.line);
      }
    }
    push("}", t.line);
  }
  const read = nftablesParser.parse(out.join("\n") + "\n", options);
  return { ...base, ...relocate(read, origin, at, findings) };
}

export const nftJsonParser: Parser = {
  id: "nftables-json",
  label: "nftables JSON (nft -j list ruleset)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    return /"nftables"\s*:\s*\[/.test(head) && /"(?:metainfo|table|chain)"\s*:/.test(head) ? 0.97 : 0;
  },
  parse: parseNftJson,
};
