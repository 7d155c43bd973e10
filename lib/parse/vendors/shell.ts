/**
 * What a POSIX shell script of firewall commands does, as the Linux readers need it: the commands that change the
 * firewall, in order, each with the script line the admin sees. It sees through what admins' and our own export
 * scripts contain: comments, `set -eu`, `\` continuations, quotes over several lines (`keep='…'`), redirections,
 * small functions whose body calls a command with "$@" (calls are expanded with their arguments), `A || B` and
 * `A && B` where A is a check (`iptables -C`, `ipset list`, `firewall-cmd --query-*`, `nft list … | grep`: only B
 * has an effect), `if …; then …; fi` guards (the then-branch is read: the guard asks whether the firewall has what
 * the branch changes), heredocs feeding `nft -f -`, `iptables-restore`, `ipset restore`. Loops and pipelines read
 * the live firewall (the sync scope's removal of members it finds there): they change nothing a paste holds, and are
 * left out; a loop that adds rules (over a list the script names) is reported as a problem on its command, not read.
 * Pure, linear in the text, never throws.
 */
import { splitLines, type Line } from "./common";

/** A command with an effect: its words after expansion, and the line each word came from. */
export interface ShellCommand {
  readonly line: Line;
  readonly words: readonly string[];
  readonly wordLines: readonly Line[];
  /** The heredoc fed to it (`<<'EOF'` … `EOF`), as the script's own lines. */
  readonly heredoc?: readonly Line[];
}

/** "$@" and "$1"… inside words, replaced by the call's arguments when a function is expanded. */
const ARG = "\u0000";

type Tok =
  | { readonly t: "w"; readonly w: string; readonly line: Line }
  | { readonly t: "op"; readonly op: string; readonly line: Line }
  | { readonly t: "nl"; readonly line: Line };

interface Simple {
  readonly k: "simple";
  readonly words: string[];
  readonly lines: Line[];
  heredoc?: Line[];
}
interface AndOr {
  readonly k: "andor";
  readonly parts: Node[];
}
interface Pipeline {
  readonly k: "pipe";
  readonly parts: Node[];
}
interface If {
  readonly k: "if";
  readonly then: Node[];
}
interface Skip {
  readonly k: "skip";
}
interface Group {
  readonly k: "group";
  readonly body: Node[];
}
interface FuncDef {
  readonly k: "func";
  readonly name: string;
  readonly body: Node[];
}
/** A for/while/until loop: its commands are not run, but one that adds rules is said (see evalNode). */
interface Loop {
  readonly k: "loop";
  readonly line: Line;
  readonly body: Node[];
}
/** Compound commands nested deeper than MAX_NEST: skipped, and said. */
interface Deep {
  readonly k: "deep";
  readonly line: Line;
}
type Node = Simple | AndOr | Pipeline | If | Skip | Group | FuncDef | Loop | Deep;

/**
 * How deep compound commands (if, loops, { }, ( )) are read: the parser recurses into each, and 20,000 nested ones
 * overflowed the stack (the whole reader failed). Deeper ones are stepped over in one linear pass.
 */
const MAX_NEST = 64;
const OPENERS = new Set(["if", "while", "until", "for", "case", "{"]);
const CLOSERS = new Set(["fi", "done", "esac", "}"]);

const MAX_DEPTH = 8;

/** Words of a firewall command that adds a rule or member (iptables -A/-I, nft/ipset add, ufw allow, …). */
const ADDING = new Set([
  "-A",
  "-I",
  "--append",
  "--insert",
  "add",
  "insert",
  "create",
  "allow",
  "deny",
  "reject",
  "limit",
]);

/** A shell script rather than a tool's own text: a shebang, a function definition or a heredoc into a firewall tool. */
export function looksLikeShellScript(text: string): boolean {
  const head = text.slice(0, 65536);
  return (
    /^#!\s*\S*\b(?:ba|da|k|z)?sh\b/.test(head) ||
    /^[ \t]*[A-Za-z_][\w-]*[ \t]*\(\)[ \t]*\{/m.test(head) ||
    /\b(?:nft|iptables-restore|ip6tables-restore|ipset)\b[^\n]*<<-?[ \t]*['"]?\w+/.test(head)
  );
}

/** The commands of a script that change a firewall, in order, functions expanded, checks and reads left out. */
export function readShell(text: string, problems?: ShellProblem[]): ShellCommand[] {
  const lines = splitLines(text);
  const toks = tokenize(text, lines);
  const nodes = new ParserState(toks).list(new Set());
  const out: ShellCommand[] = [];
  const funcs = new Map<string, Node[]>();
  const budget: CallBudget = { left: MAX_CALL_EXPANSION, problems };
  evaluate(nodes, funcs, out, undefined, 0, budget);
  return out;
}

/** What the script does that is not read, on its line (a caller turns it into a finding). */
export interface ShellProblem {
  readonly line: Line;
  readonly message: string;
}

/**
 * Commands function calls may run in all. Each call runs its body again, and a call inside a function is followed up
 * to MAX_DEPTH deep: a 500-line function called 500 times made 250,000 rules from a 23 kB script (2,000 × 2,000 ran
 * out of memory), and functions calling the one before twice, eight deep, multiply too. A helper called once per
 * rule stays far below.
 */
export const MAX_CALL_EXPANSION = 250_000;

interface CallBudget {
  left: number;
  readonly problems: ShellProblem[] | undefined;
  /** The call that ran out, once reported. */
  spent?: boolean;
}

// ---- tokens ----------------------------------------------------------------------------------------------------

function tokenize(text: string, lines: readonly Line[]): Tok[] {
  return new ShellLexer(text, lines).run();
}

/** The tokenizer's state: the cursor, the line it is on, the word being built and the heredocs still to read. */
class ShellLexer {
  readonly out: Tok[] = [];
  readonly n: number;
  ln = 1;
  i = 0;
  word = "";
  inWord = false;
  wordLine = 1;
  readonly pendingHeredocs: { delim: string; strip: boolean; target: Line[] }[] = [];
  readonly heredocTargets: Line[][] = [];
  awaitingDelim: { strip: boolean } | undefined;

  constructor(
    readonly text: string,
    readonly lines: readonly Line[],
  ) {
    this.n = text.length;
  }

  lineOf(k: number): Line {
    return this.lines[k - 1] ?? { n: k, text: "" };
  }

  run(): Tok[] {
    // Heredoc bodies are attached to the "<<" op tokens in order; the parser takes them from this queue.
    (this.out as Tok[] & { heredocs?: Line[][] }).heredocs = this.heredocTargets;
    const text = this.text;
    while (this.i < this.n) {
      const c = text[this.i]!;
      if (c === "\n") this.newline();
      else if (c === " " || c === "\t" || c === "\r") {
        this.end();
        this.i++;
      } else if (c === "#" && !this.inWord) {
        while (this.i < this.n && text[this.i] !== "\n") this.i++;
      } else if (c === "\\") this.backslash();
      else if (c === "'") this.singleQuoted();
      else if (c === '"') this.doubleQuoted();
      else if (c === "$" && /[@*1-9]/.test(text[this.i + 1] ?? "")) {
        this.start();
        this.word += ARG + (text[this.i + 1] === "*" ? "@" : text[this.i + 1]!);
        this.i += 2;
      } else if (c === ">" || c === "<") this.redirection(c);
      else if (c === ";" || c === "&" || c === "|" || c === "(" || c === ")") this.operator(c);
      else {
        this.start();
        this.word += c;
        this.i++;
      }
    }
    this.end();
    this.out.push({ t: "nl", line: this.lineOf(this.ln) });
    return this.out;
  }

  end(): void {
    if (!this.inWord) return;
    if (this.awaitingDelim) {
      const target: Line[] = [];
      this.pendingHeredocs.push({ delim: this.word, strip: this.awaitingDelim.strip, target });
      this.heredocTargets.push(target);
      this.out.push({ t: "op", op: "<<", line: this.lineOf(this.wordLine) });
      this.awaitingDelim = undefined;
    } else this.out.push({ t: "w", w: this.word, line: this.lineOf(this.wordLine) });
    this.word = "";
    this.inWord = false;
  }

  start(): void {
    if (!this.inWord) {
      this.inWord = true;
      this.wordLine = this.ln;
    }
  }

  newline(): void {
    const text = this.text;
    this.end();
    this.out.push({ t: "nl", line: this.lineOf(this.ln) });
    this.ln++;
    this.i++;
    // Heredoc bodies start on the next line and run to the delimiter line.
    while (this.pendingHeredocs.length > 0) {
      const h = this.pendingHeredocs.shift()!;
      while (this.i < this.n) {
        let e = text.indexOf("\n", this.i);
        if (e === -1) e = this.n;
        let raw = text.slice(this.i, e);
        if (raw.endsWith("\r")) raw = raw.slice(0, -1);
        const line = this.lineOf(this.ln);
        this.ln++;
        this.i = e + 1;
        if ((h.strip ? raw.replace(/^\t+/, "") : raw) === h.delim) break;
        h.target.push(line);
      }
    }
  }

  backslash(): void {
    const text = this.text;
    if (text[this.i + 1] === "\n") {
      this.ln++;
      this.i += 2;
      return;
    }
    if (text[this.i + 1] === "\r" && text[this.i + 2] === "\n") {
      this.ln++;
      this.i += 3;
      return;
    }
    this.start();
    this.word += text[this.i + 1] ?? "";
    this.i += 2;
  }

  singleQuoted(): void {
    this.start();
    let close = this.text.indexOf("'", this.i + 1);
    if (close === -1) close = this.n;
    const s = this.text.slice(this.i + 1, close);
    for (let k = 0; k < s.length; k++) if (s[k] === "\n") this.ln++;
    this.word += s;
    this.i = close + 1;
  }

  doubleQuoted(): void {
    const text = this.text;
    const n = this.n;
    this.start();
    this.i++;
    while (this.i < n && text[this.i] !== '"') {
      const d = text[this.i]!;
      if (d === "\\" && this.i + 1 < n && '"\\$`\n'.includes(text[this.i + 1]!)) {
        if (text[this.i + 1] === "\n") this.ln++;
        else this.word += text[this.i + 1]!;
        this.i += 2;
        continue;
      }
      if (d === "$" && /[@*1-9]/.test(text[this.i + 1] ?? "")) {
        this.word += ARG + (text[this.i + 1] === "*" ? "@" : text[this.i + 1]!);
        this.i += 2;
        continue;
      }
      if (d === "\n") this.ln++;
      this.word += d;
      this.i++;
    }
    this.i++;
  }

  /** "2>/dev/null", ">/dev/null", "2>&1", "<<'EOF'": a redirection; an fd number before it is part of it. */
  redirection(c: string): void {
    const text = this.text;
    const n = this.n;
    if (this.inWord && /^\d+$/.test(this.word)) {
      this.word = "";
      this.inWord = false;
    } else this.end();
    if (c === "<" && text[this.i + 1] === "<") {
      const strip = text[this.i + 2] === "-";
      this.i += strip ? 3 : 2;
      while (text[this.i] === " " || text[this.i] === "\t") this.i++;
      this.awaitingDelim = { strip };
      return;
    }
    this.i++;
    if (text[this.i] === ">" || text[this.i] === "|") this.i++;
    if (text[this.i] === "&") {
      this.i++;
      while (this.i < n && /[\d-]/.test(text[this.i]!)) this.i++;
      return;
    }
    while (text[this.i] === " " || text[this.i] === "\t") this.i++;
    // The target word: read and dropped.
    while (this.i < n && !/[\s;&|()<>]/.test(text[this.i]!)) {
      if (text[this.i] === "'" || text[this.i] === '"') {
        const q = text[this.i]!;
        const close = text.indexOf(q, this.i + 1);
        this.i = close === -1 ? n : close + 1;
      } else this.i++;
    }
  }

  operator(c: string): void {
    this.end();
    const two = this.text.slice(this.i, this.i + 2);
    const op = two === ";;" || two === "&&" || two === "||" ? two : c;
    this.out.push({ t: "op", op, line: this.lineOf(this.ln) });
    this.i += op.length;
  }
}

// ---- structure -------------------------------------------------------------------------------------------------

const LIST_END = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);

class ParserState {
  private i = 0;
  private nest = 0;
  private readonly heredocs: Line[][];
  constructor(private readonly toks: Tok[]) {
    this.heredocs = (toks as Tok[] & { heredocs?: Line[][] }).heredocs ?? [];
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private word(): string | undefined {
    const t = this.toks[this.i];
    return t?.t === "w" ? t.w : undefined;
  }

  private skipNewlines(): void {
    for (let t = this.peek(); t && (t.t === "nl" || (t.t === "op" && (t.op === ";" || t.op === "&"))); t = this.peek())
      this.i++;
  }

  /** Commands up to one of the given reserved words at a command start (not consumed) or the end. */
  list(until: ReadonlySet<string>): Node[] {
    const out: Node[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) return out;
      const w = this.word();
      if (w !== undefined && (until.has(w) || LIST_END.has(w))) {
        if (until.has(w)) return out;
        // A stray reserved word: step over it so the reader always moves on.
        this.i++;
        continue;
      }
      if (t.t === "op" && t.op === ")" && until.has(")")) return out;
      if (t.t === "op" && t.op !== "(") {
        this.i++;
        continue;
      }
      const before = this.i;
      const node = this.andOr();
      if (node) out.push(node);
      if (this.i === before) this.i++;
    }
  }

  private andOr(): Node | undefined {
    const parts: Node[] = [];
    for (;;) {
      const p = this.pipeline();
      if (p) parts.push(p);
      const t = this.peek();
      if (t?.t === "op" && (t.op === "&&" || t.op === "||")) {
        this.i++;
        while (this.peek()?.t === "nl") this.i++;
        continue;
      }
      break;
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : { k: "andor", parts };
  }

  private pipeline(): Node | undefined {
    const parts: Node[] = [];
    if (this.word() === "!") this.i++;
    for (;;) {
      const c = this.command();
      if (c) parts.push(c);
      const t = this.peek();
      if (t?.t === "op" && t.op === "|") {
        this.i++;
        while (this.peek()?.t === "nl") this.i++;
        continue;
      }
      break;
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : { k: "pipe", parts };
  }

  private command(): Node | undefined {
    const w = this.word();
    const t = this.peek();
    if (!t) return undefined;
    const opens =
      w === "if" || w === "while" || w === "until" || w === "for" || w === "{" || (t.t === "op" && t.op === "(");
    if (!opens) return this.compound(w, t);
    if (this.nest >= MAX_NEST) {
      // Step over this compound command and all it holds: openers and closers counted, no recursion.
      let depth = 0;
      for (let tok = this.peek(); tok; tok = this.peek()) {
        this.i++;
        if ((tok.t === "w" && OPENERS.has(tok.w)) || (tok.t === "op" && tok.op === "(")) depth++;
        else if (((tok.t === "w" && CLOSERS.has(tok.w)) || (tok.t === "op" && tok.op === ")")) && --depth <= 0) break;
      }
      return { k: "deep", line: t.line };
    }
    this.nest++;
    try {
      return this.compound(w, t);
    } finally {
      this.nest--;
    }
  }

  private compound(w: string | undefined, t: Tok): Node | undefined {
    if (w === "if") {
      this.i++;
      this.list(new Set(["then"]));
      const then: Node[] = [];
      if (this.word() === "then") {
        this.i++;
        then.push(...this.list(new Set(["elif", "else", "fi"])));
      }
      // elif/else branches are the guard's other outcome: read past them.
      while (this.word() === "elif" || this.word() === "else") {
        this.i++;
        this.list(new Set(["then", "elif", "else", "fi"]));
        if (this.word() === "then") {
          this.i++;
          this.list(new Set(["elif", "else", "fi"]));
        }
      }
      if (this.word() === "fi") this.i++;
      return { k: "if", then };
    }
    if (w === "while" || w === "until" || w === "for") {
      const line = this.peek()!.line;
      this.i++;
      this.list(new Set(["do"]));
      let body: Node[] = [];
      if (this.word() === "do") {
        this.i++;
        body = this.list(new Set(["done"]));
      }
      if (this.word() === "done") this.i++;
      return { k: "loop", line, body };
    }
    if (w === "case") {
      // Patterns are not commands: skip to the matching esac.
      let depth = 0;
      for (let tok = this.peek(); tok; tok = this.peek()) {
        this.i++;
        if (tok.t === "w" && tok.w === "case") depth++;
        if (tok.t === "w" && tok.w === "esac" && --depth === 0) break;
      }
      return { k: "skip" };
    }
    if (w === "{") {
      this.i++;
      const body = this.list(new Set(["}"]));
      if (this.word() === "}") this.i++;
      return { k: "group", body };
    }
    if (t.t === "op" && t.op === "(") {
      this.i++;
      const body = this.list(new Set([")"]));
      while (this.peek() && !(this.peek()!.t === "op" && (this.peek() as { op: string }).op === ")")) this.i++;
      this.i++;
      return { k: "group", body };
    }
    const simple: Simple = { k: "simple", words: [], lines: [] };
    for (let tok = this.peek(); tok; tok = this.peek()) {
      if (tok.t === "w") {
        simple.words.push(tok.w);
        simple.lines.push(tok.line);
        this.i++;
        continue;
      }
      if (tok.t === "op" && tok.op === "<<") {
        simple.heredoc = this.heredocs.shift() ?? [];
        this.i++;
        continue;
      }
      if (tok.t === "op" && tok.op === "(" && simple.words.length === 1 && this.toks[this.i + 1]?.t === "op") {
        // name() compound-command
        this.i += 2;
        while (this.peek()?.t === "nl") this.i++;
        const body = this.command();
        const name = simple.words[0]!;
        return { k: "func", name, body: body ? (body.k === "group" ? body.body : [body]) : [] };
      }
      break;
    }
    return simple.words.length > 0 || simple.heredoc ? simple : undefined;
  }
}

// ---- effect ----------------------------------------------------------------------------------------------------

/** Shell builtins and text tools: no firewall effect. */
const NO_EFFECT = new Set([
  "set",
  ":",
  "true",
  "false",
  "echo",
  "printf",
  "exit",
  "return",
  "export",
  "readonly",
  "local",
  "unset",
  "cd",
  "read",
  "test",
  "[",
  "grep",
  "egrep",
  "fgrep",
  "sed",
  "awk",
  "sort",
  "uniq",
  "cat",
  "head",
  "tail",
  "wc",
  "tr",
  "cut",
  "sleep",
  "logger",
  "trap",
  "shift",
  "umask",
]);

const program = (w: string | undefined): string => (w ?? "").replace(/^.*\//, "");

/** A command that only reads the firewall: a check, a listing, a state query. */
export function isCheck(words: readonly string[]): boolean {
  let k = 0;
  while (k < words.length && (words[k] === "sudo" || /^[A-Za-z_]\w*=/.test(words[k]!))) k++;
  const p = program(words[k]);
  const rest = words.slice(k + 1);
  if (NO_EFFECT.has(p)) return true;
  if (/^ip6?tables(?:-legacy|-nft)?$/.test(p))
    return rest.some(
      (w) =>
        /^(?:-C|--check|-L|--list|-S|--list-rules)$/.test(w) ||
        (/^-[a-zA-Z]*[LS][a-zA-Z]*$/.test(w) && !/^-[AIDNPFXZR]/.test(w)),
    );
  if (/^ip6?tables(?:-legacy|-nft)?-save$/.test(p)) return true;
  if (p === "ipset")
    return ["list", "-L", "test", "-T", "save", "-S", "-exist"].includes(
      rest.find((w) => !w.startsWith("-") || ["-L", "-T", "-S"].includes(w)) ?? "",
    );
  if (p === "firewall-cmd" || p === "firewall-offline-cmd")
    return rest.some((w) => /^--(?:query-|info-|get-|list-|state$)/.test(w));
  if (p === "nft") return rest.find((w) => !w.startsWith("-")) === "list";
  if (p === "ufw") return rest[0] === "show" || rest[0] === "status" || rest[0] === "--version";
  return false;
}

function evaluate(
  nodes: readonly Node[],
  funcs: Map<string, Node[]>,
  out: ShellCommand[],
  call: { args: readonly string[]; argLines: readonly Line[]; line: Line } | undefined,
  depth: number,
  budget: CallBudget,
): void {
  for (const node of nodes) {
    if (call !== undefined && --budget.left < 0) {
      if (!budget.spent)
        budget.problems?.push({
          line: call.line,
          message: `Function calls run more than ${MAX_CALL_EXPANSION.toLocaleString("en-US")} commands: this call and the ones after it are not read.`,
        });
      budget.spent = true;
      return;
    }
    evalNode(node, funcs, out, call, depth, budget);
  }
}

function evalNode(
  node: Node,
  funcs: Map<string, Node[]>,
  out: ShellCommand[],
  call: { args: readonly string[]; argLines: readonly Line[]; line: Line } | undefined,
  depth: number,
  budget: CallBudget,
): void {
  switch (node.k) {
    case "func":
      funcs.set(node.name, node.body);
      return;
    case "skip":
      return;
    case "deep":
      budget.problems?.push({
        line: node.line,
        message: `Compound commands nest more than ${MAX_NEST} deep: this one and the commands inside it are not read.`,
      });
      return;
    case "loop": {
      // "for ip in $FRESH; do iptables -A INPUT -s $ip … -j ACCEPT; done": the values it runs over are not read, so
      // neither are its commands; one that adds rules is said rather than dropped without a word. (A loop that
      // removes what it finds on the live firewall, as a sync does, adds nothing here.)
      const inner: ShellCommand[] = [];
      evaluate(node.body, funcs, inner, call, depth, budget);
      const adds = inner.find(
        (c) =>
          c.words.some((x) => ADDING.has(x) || x.startsWith("--add-")) &&
          !c.words.some((x) => x === "delete" || x === "del" || x === "-D" || x === "--delete"),
      );
      if (adds !== undefined)
        budget.problems?.push({
          line: adds.line,
          message: `This command runs in the loop at line ${node.line.n}: a loop's commands are not read (the values it runs over are not known here), so the rules it adds are missing from this reading.`,
        });
      return;
    }
    case "pipe":
      // A pipeline reads something (a listing into grep, members into a loop); its last command can still act
      // ("cat rules | iptables-restore" is rare in exports and not read).
      return;
    case "group":
      evaluate(node.body, funcs, out, call, depth, budget);
      return;
    case "if":
      evaluate(node.then, funcs, out, call, depth, budget);
      return;
    case "andor":
      // "check || act", "check && act", "act || true": the checks and reads have no effect; the rest is what runs.
      for (const p of node.parts) evalNode(p, funcs, out, call, depth, budget);
      return;
    case "simple": {
      const words: string[] = [];
      const lines: Line[] = [];
      for (const [k, w] of node.words.entries()) {
        const line = call ? call.line : node.lines[k]!;
        if (!w.includes(ARG)) {
          words.push(w);
          lines.push(line);
        } else if (w === ARG + "@") {
          if (call) {
            words.push(...call.args);
            lines.push(...call.argLines);
          }
        } else {
          let s = "";
          for (let j = 0; j < w.length; j++) {
            if (w[j] === ARG) {
              const which = w[j + 1]!;
              s += call ? (which === "@" ? call.args.join(" ") : (call.args[Number(which) - 1] ?? "")) : "";
              j++;
            } else s += w[j]!;
          }
          words.push(s);
          lines.push(line);
        }
      }
      // Assignments ("running=1", "keep='…'") set shell variables.
      let k = 0;
      while (k < words.length && /^[A-Za-z_]\w*=/.test(words[k]!)) k++;
      if (k === words.length) return;
      const cmd = words.slice(k);
      const cmdLines = lines.slice(k);
      const line = call ? call.line : node.lines[k]!;
      const fn = funcs.get(cmd[0]!);
      if (fn) {
        if (depth < MAX_DEPTH)
          evaluate(fn, funcs, out, { args: cmd.slice(1), argLines: cmdLines.slice(1), line }, depth + 1, budget);
        return;
      }
      if (isCheck(cmd)) return;
      out.push({ line, words: cmd, wordLines: cmdLines, ...(node.heredoc ? { heredoc: node.heredoc } : {}) });
      return;
    }
  }
}
