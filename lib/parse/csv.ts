/**
 * CSV (RFC 4180: quoted fields, "" escapes, CRLF, newlines inside quotes) with `,`, `;` or tab separators,
 * with or without a header. The address column is found by its header name or, failing that, by its content;
 * the other columns become the entry's comment ("col=value; …").
 */
import { countLines, scanTerms, type Sink } from "./plain";
import type { Entry, Finding, ParseOutput, Parser, PortRange } from "./types";
import { readPortList } from "./vendors/hostcommon";

interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** That line's text, trimmed (a record with quoted newlines spans more lines; the first one is shown). */
  readonly text: string;
  readonly fields: string[];
}

const CH_LF = 10;
const CH_CR = 13;
const CH_QUOTE = 34;
const SEPARATORS = [",", ";", "\t"] as const;
type Separator = (typeof SEPARATORS)[number];

/** Header names that mean "the address column", normalised to lower-case letters and digits. */
const ADDRESS_HEADERS = new Set([
  "ip",
  "ips",
  "ipaddress",
  "ipaddresses",
  "address",
  "addresses",
  "addr",
  "cidr",
  "cidrs",
  "cidrblock",
  "cidrip",
  "prefix",
  "subnet",
  "network",
  "range",
  "iprange",
  "source",
  "sourceip",
  "sourceaddress",
  "sourcecidr",
  "src",
  "srcip",
  "srcaddr",
  "natip",
  "natips",
  "ipv4",
  "ipv6",
  "allowedip",
  "allowedips",
]);

/**
 * Columns that say what a row's rule does (a firewall's rule list exported as CSV): its action, direction, protocol
 * and destination port. A deny row never counts as coverage, an outbound row covers no inbound webhook, and a row for
 * another port or protocol does not cover the diff's.
 */
const RULE_HEADERS: Readonly<
  Record<string, "action" | "direction" | "protocol" | "port" | "from" | "to" | "enabled" | "disabled">
> = {
  // A rule list's on/off column (firewall exports, "Enabled" TRUE/FALSE): a disabled row decides nothing.
  enabled: "enabled",
  isenabled: "enabled",
  active: "enabled",
  isactive: "enabled",
  disabled: "disabled",
  isdisabled: "disabled",
  fromport: "from",
  portfrom: "from",
  startport: "from",
  toport: "to",
  portto: "to",
  endport: "to",
  action: "action",
  ruleaction: "action",
  // Azure NSG rules: "access" Allow/Deny.
  access: "action",
  policy: "action",
  verdict: "action",
  permission: "action",
  decision: "action",
  direction: "direction",
  dir: "direction",
  trafficdirection: "direction",
  protocol: "protocol",
  proto: "protocol",
  ipprotocol: "protocol",
  port: "port",
  ports: "port",
  dport: "port",
  dstport: "port",
  destinationport: "port",
  destinationports: "port",
  localport: "port",
  serviceport: "port",
  // The AWS console's and Azure's "Port range" column ("443", "8000 - 8080", "All").
  portrange: "port",
  portranges: "port",
  destinationportrange: "port",
  destinationportranges: "port",
  dstportrange: "port",
};

const DENY_WORDS = /^(?:deny|denied|block|blocked|drop|dropped|reject|rejected|refuse|disallow|disallowed)$/i;
const ALLOW_WORDS = /^(?:allow|allowed|accept|accepted|permit|permitted|pass|passed|grant|granted)$/i;
const ANY_WORDS = /^(?:any|all|\*|both|ip|-1)$/i;

/** The rule columns of a header: column index → what it says. */
function ruleColumns(names: readonly string[] | undefined, addressColumn: number): Map<number, string> {
  const out = new Map<number, string>();
  names?.forEach((n, c) => {
    const kind = RULE_HEADERS[normaliseHeader(n)];
    if (kind !== undefined && c !== addressColumn && ![...out.values()].includes(kind)) out.set(c, kind);
  });
  return out;
}

/** The record's rule columns applied to its entries (sink.entries from `from` on); unreadable cells are findings. */
function applyRuleColumns(record: CsvRecord, scan: RecordScan, from: number): void {
  const { entries, findings } = scan.sink;
  if (scan.rules.size === 0 || entries.length === from) return;
  let action: Entry["action"] | undefined;
  let direction: Entry["direction"] | undefined;
  let protocol: string | null | undefined;
  let ports: readonly PortRange[] | null | undefined;
  let fromPort: number | undefined;
  let toPort: number | undefined;
  let unmet: string | undefined;
  const bad = (name: string, value: string, what: string): void =>
    void findings.push({
      line: record.line,
      text: record.text,
      kind: "not-understood",
      message: `"${value}" in the "${name}" column is not ${what}: the row is read without it.`,
    });
  for (const [c, kind] of scan.rules) {
    const value = (record.fields[c] ?? "").trim();
    const name = scan.names?.[c] ?? kind;
    if (value === "") continue;
    if (kind === "enabled" || kind === "disabled") {
      const on = /^(?:true|yes|y|1|on|enabled|active)$/i.test(value);
      const off = /^(?:false|no|n|0|off|disabled|inactive)$/i.test(value);
      if (!on && !off) bad(name, value, "yes or no");
      else if (on === (kind === "disabled")) unmet = `the row is disabled ("${name}" is ${value})`;
    } else if (kind === "action") {
      if (DENY_WORDS.test(value)) action = "deny";
      else if (ALLOW_WORDS.test(value)) action = "allow";
      else bad(name, value, "an allow or deny action");
    } else if (kind === "direction") {
      if (/^(?:out|outbound|egress|outgoing|output)$/i.test(value)) direction = "out";
      else if (/^(?:in|inbound|ingress|incoming|input)$/i.test(value)) direction = "in";
      else if (!ANY_WORDS.test(value)) bad(name, value, "a direction (in or out)");
    } else if (kind === "protocol") {
      if (ANY_WORDS.test(value)) protocol = null;
      else if (/^(?:tcp|6)$/i.test(value)) protocol = "tcp";
      else if (/^(?:udp|17)$/i.test(value)) protocol = "udp";
      else if (/^[a-z][a-z0-9-]*$/i.test(value)) protocol = value.toLowerCase();
      else bad(name, value, "a protocol");
    } else if (kind === "from" || kind === "to") {
      // AWS-style FromPort/ToPort columns: one range (-1: every port).
      const n = Number(value);
      if (ANY_WORDS.test(value)) ports = null;
      else if (/^\d{1,5}$/.test(value) && n <= 65535) {
        if (kind === "from") fromPort = n;
        else toPort = n;
      } else bad(name, value, "a port");
    } else {
      if (ANY_WORDS.test(value)) ports = null;
      else {
        const list = readPortList(value.replace(/\s+/g, ""));
        if (list) ports = list;
        else bad(name, value, "a port, range or list of them");
      }
    }
  }
  if (ports === undefined && (fromPort !== undefined || toPort !== undefined)) {
    const lo = fromPort ?? toPort!;
    const hi = toPort ?? fromPort!;
    if (lo <= hi) ports = [{ from: lo, to: hi }];
    else bad("FromPort/ToPort", `${lo}-${hi}`, "a port range");
  }
  if (
    action === undefined &&
    direction === undefined &&
    protocol === undefined &&
    ports === undefined &&
    unmet === undefined
  )
    return;
  for (let i = from; i < entries.length; i++) {
    const e = entries[i]!;
    entries[i] = {
      ...e,
      ...(action !== undefined ? { action } : {}),
      ...(direction !== undefined ? { direction } : {}),
      ...(typeof protocol === "string" ? { protocol } : {}),
      ...(ports ? { ports } : {}),
      ...(unmet !== undefined ? { unmet } : {}),
    };
  }
}

function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Reads records one at a time, in one pass. An unterminated quote runs to the end of the input and is reported. */
class RecordReader {
  private i = 0;
  private line = 1;
  private readonly sep: number;

  constructor(
    private readonly text: string,
    separator: Separator,
    private readonly findings: Finding[],
  ) {
    this.sep = separator.charCodeAt(0);
  }

  /** The next record that is not blank or a "#" comment row, or undefined at the end. */
  nextKept(): CsvRecord | undefined {
    for (let r = this.next(); r; r = this.next()) if (!isSkipped(r)) return r;
    return undefined;
  }

  next(): CsvRecord | undefined {
    const { text, sep } = this;
    const length = text.length;
    if (this.i >= length) return undefined;
    const recordLine = this.line;
    const recordStart = this.i;
    const fields: string[] = [];
    for (;;) {
      let value = text.charCodeAt(this.i) === CH_QUOTE ? this.quoted(recordLine, recordStart) : this.unquoted();
      if (value.charCodeAt(value.length - 1) === CH_CR && text.charCodeAt(this.i) !== sep) value = value.slice(0, -1);
      fields.push(value);
      if (this.i < length && text.charCodeAt(this.i) === sep) {
        this.i++;
        continue;
      }
      if (this.i < length) {
        this.i++; // the newline
        this.line++;
      }
      return { line: recordLine, text: lineText(text, recordStart), fields };
    }
  }

  private unquoted(): string {
    const next = scanUnquoted(this.text, this.i, this.sep);
    const value = this.text.slice(this.i, next);
    this.i = next;
    return value;
  }

  /** A field that starts with a quote: "" is a quote, newlines are kept, text after the closing quote too. */
  private quoted(recordLine: number, recordStart: number): string {
    const text = this.text;
    let parts = "";
    let from = this.i + 1;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q < 0) {
        parts += text.slice(from);
        this.findings.push({
          line: recordLine,
          text: lineText(text, recordStart),
          kind: "invalid",
          message: `A quoted field opened on line ${recordLine} is never closed; read to the end of the input.`,
        });
        this.i = text.length;
        break;
      }
      parts += text.slice(from, q);
      if (text.charCodeAt(q + 1) === CH_QUOTE) {
        parts += '"';
        from = q + 2;
        continue;
      }
      this.i = q + 1;
      break;
    }
    for (let k = parts.indexOf("\n"); k >= 0; k = parts.indexOf("\n", k + 1)) this.line++;
    // Lenient: text between the closing quote and the separator is kept rather than lost.
    const next = scanUnquoted(text, this.i, this.sep);
    const value = parts + text.slice(this.i, next);
    this.i = next;
    return value;
  }
}

/** Every record that is not skipped (blank, "#" comment row). */
function readRecords(text: string, separator: Separator, findings: Finding[]): CsvRecord[] {
  const reader = new RecordReader(text, separator, findings);
  const records: CsvRecord[] = [];
  for (let r = reader.nextKept(); r; r = reader.nextKept()) records.push(r);
  return records;
}

function scanUnquoted(text: string, from: number, sep: number): number {
  let i = from;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === sep || c === CH_LF) break;
    i++;
  }
  return i;
}

function lineText(text: string, start: number): string {
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** The start of the text, up to `maxLines` lines, for sniffing: detection must stay cheap on huge pastes. */
function head(text: string, maxLines: number): string {
  let end = 0;
  for (let n = 0; n < maxLines && end >= 0; n++) end = text.indexOf("\n", end + 1);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * The separator whose records most often have the same number (> 1) of fields, and that share. Counting records,
 * not lines, keeps quoted newlines and quoted separators from confusing it.
 */
function sniffSeparator(sample: string): { separator: Separator; consistency: number; records: CsvRecord[] } {
  let best: { separator: Separator; consistency: number; records: CsvRecord[] } | undefined;
  for (const separator of SEPARATORS) {
    const records = readRecords(sample, separator, []);
    const tally = new Map<number, number>();
    for (const r of records) if (r.fields.length > 1) tally.set(r.fields.length, (tally.get(r.fields.length) ?? 0) + 1);
    let mode = 0;
    for (const count of tally.values()) mode = Math.max(mode, count);
    const consistency = records.length === 0 ? 0 : mode / records.length;
    if (!best || consistency > best.consistency) best = { separator, consistency, records };
  }
  return best!;
}

/** True when a cell reads cleanly as address terms (what the plain reader accepts). */
function isAddressCell(cell: string): boolean {
  const sink: Sink = { entries: [], findings: [] };
  scanTerms(cell, 0, cell, sink);
  return sink.entries.length > 0 && sink.findings.length === 0;
}

interface Layout {
  readonly header: readonly string[] | undefined;
  readonly column: number;
  /** Share of sampled data cells in that column that read as addresses. */
  readonly score: number;
  /** Some other column mostly holds text that is not an address (a sign of CSV rather than a comma list). */
  readonly hasTextColumn: boolean;
  readonly namedColumn: boolean;
}

const SAMPLE = 200;

/** Header names of a range's first and last address, in two columns ("Start IP", "End IP"), normalised. */
const RANGE_START_HEADERS = new Set([
  "startip",
  "startaddress",
  "startipaddress",
  "firstip",
  "fromip",
  "ipstart",
  "rangestart",
  "beginip",
  "lowip",
]);
const RANGE_END_HEADERS = new Set([
  "endip",
  "endaddress",
  "endipaddress",
  "lastip",
  "toip",
  "ipend",
  "rangeend",
  "highip",
]);

/** The columns of a range written as a first and a last address, when the header names both. */
function rangeColumns(header: readonly string[] | undefined): { start: number; end: number } | undefined {
  const start = header?.findIndex((h) => RANGE_START_HEADERS.has(normaliseHeader(h))) ?? -1;
  const end = header?.findIndex((h) => RANGE_END_HEADERS.has(normaliseHeader(h))) ?? -1;
  return start >= 0 && end >= 0 && start !== end ? { start, end } : undefined;
}

/** Finds the header (if any) and the address column. */
function findLayout(records: readonly CsvRecord[]): Layout | undefined {
  const first = records[0];
  if (!first) return undefined;
  const width = Math.max(...records.slice(0, SAMPLE).map((r) => r.fields.length));
  const named =
    rangeColumns(first.fields)?.start ?? first.fields.findIndex((f) => ADDRESS_HEADERS.has(normaliseHeader(f)));
  const firstHasAddress = first.fields.some((f) => isAddressCell(f));
  const dataStart = named >= 0 || !firstHasAddress ? 1 : 0;
  const sample = records.slice(dataStart, dataStart + SAMPLE);
  const scores: number[] = [];
  const textShares: number[] = [];
  for (let c = 0; c < width; c++) {
    let addresses = 0;
    let texts = 0;
    let filled = 0;
    for (const r of sample) {
      const cell = (r.fields[c] ?? "").trim();
      if (cell === "") continue;
      filled++;
      if (isAddressCell(cell)) addresses++;
      else texts++;
    }
    scores.push(filled === 0 ? 0 : addresses / filled);
    textShares.push(filled === 0 ? 0 : texts / filled);
  }
  let column = named;
  if (column < 0) {
    column = 0;
    for (let c = 1; c < width; c++) if ((scores[c] ?? 0) > (scores[column] ?? 0)) column = c;
  }
  const hasTextColumn = textShares.some((share, c) => c !== column && share >= 0.5);
  // Without a known header name, a first row that holds no address is a header when the data rows below hold some.
  const header = dataStart === 1 && (named >= 0 || (scores[column] ?? 0) > 0) ? first.fields : undefined;
  return { header, column, score: scores[column] ?? 0, hasTextColumn, namedColumn: named >= 0 };
}

/** Cheap signals from the first lines: a consistent separator plus an address column named or found by content. */
/**
 * True when every data line is one word followed by a `#` comment ("3.71.140.232/32 # EU, Freddy"): a plain list
 * with comments, whose commas sit inside the comments and separate nothing.
 */
function isCommentedList(sample: string): boolean {
  let seen = 0;
  for (const raw of sample.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([^\s#]+)\s+#/.exec(line);
    if (!m || SEPARATORS.some((s) => m[1]!.includes(s))) return false;
    seen++;
  }
  return seen > 0;
}

export function detectCsv(text: string): number {
  const sample = head(text, 40);
  if (isCommentedList(sample)) return 0;
  const { consistency, records } = sniffSeparator(sample);
  if (records.length < 2) return 0;
  // A single column under a header such as "IP Address" has no separator at all.
  if (consistency < 0.8) return ADDRESS_HEADERS.has(normaliseHeader(records[0]?.fields.join(",") ?? "")) ? 0.5 : 0;
  const layout = findLayout(records);
  if (!layout) return 0;
  if (layout.namedColumn) return 0.9;
  if (layout.score >= 0.5 && (layout.hasTextColumn || layout.header)) return 0.6;
  // Every column holds addresses: a comma-separated plain list; plain reads it the same way.
  return 0.05;
}

export function parseCsv(text: string): ParseOutput {
  const findings: Finding[] = [];
  const { separator } = sniffSeparator(head(text, 40));
  // Records are read as they are scanned: only the ones the layout is found from are held at once.
  const reader = new RecordReader(text, separator, findings);
  const first: CsvRecord[] = [];
  for (let r = reader.nextKept(); r; r = first.length <= SAMPLE ? reader.nextKept() : undefined) first.push(r);
  const layout = findLayout(first);
  const sink: Sink = { entries: [], findings };
  const notes: string[] = [];
  if (layout) {
    const { header, column } = layout;
    const columnName = header?.[column]?.trim() || `column ${column + 1}`;
    const range = rangeColumns(header);
    const endName = range === undefined ? undefined : header![range.end]!.trim();
    notes.push(
      `Addresses read from ${header ? `the "${columnName}" column` : `column ${column + 1}`}${endName === undefined ? "" : ` to the "${endName}" column (each row one range)`} (separator ${describe(separator)}).`,
    );
    const names = header?.map((h) => h.trim());
    const scan: RecordScan = {
      column,
      ...(range !== undefined ? { endColumn: range.end } : {}),
      columnName,
      names,
      rules: ruleColumns(names, column),
      sink,
      // One closure for every record (not one per record: a 1M-row file would make a million).
      locate: (position: number) => `"${columnName}" column, character ${position + 1}`,
    };
    for (let k = header === undefined ? 0 : 1; k < first.length; k++) scanRecord(first[k]!, scan);
    for (let r = reader.nextKept(); r; r = reader.nextKept()) scanRecord(r, scan);
  }
  findings.sort((a, b) => a.line - b.line);
  return { format: "csv", entries: sink.entries, findings, lineCount: countLines(text), notes };
}

/** What every data record is scanned with. */
interface RecordScan {
  readonly column: number;
  /** A "Start IP" / "End IP" layout: the column of each row's last address (the row reads as "first-last"). */
  readonly endColumn?: number;
  readonly columnName: string;
  /** The header's names, trimmed; undefined without a header. */
  readonly names: readonly string[] | undefined;
  /** Columns saying the row's action, direction, protocol or port (column index → which). */
  readonly rules: ReadonlyMap<number, string>;
  readonly sink: Sink;
  readonly locate: (position: number) => string;
}

function scanRecord(record: CsvRecord, scan: RecordScan): void {
  const first = record.fields[scan.column] ?? "";
  const last = scan.endColumn === undefined ? "" : (record.fields[scan.endColumn] ?? "").trim();
  const cell = last === "" || last === first.trim() ? first : `${first.trim()}-${last}`;
  const comment = otherColumns(record.fields, scan.column, scan.names);
  if (cell.trim() === "") {
    scan.sink.findings.push({
      line: record.line,
      text: record.text,
      kind: "invalid",
      message: `No address in the "${scan.columnName}" column.`,
    });
    return;
  }
  const from = scan.sink.entries.length;
  scanTerms(cell, record.line, record.text, scan.sink, scan.locate, comment);
  applyRuleColumns(record, scan, from);
}

/** Blank records and "#" comment rows carry nothing. */
function isSkipped(r: CsvRecord): boolean {
  return r.fields.every((f) => f.trim() === "") || (r.fields[0] ?? "").trimStart().startsWith("#");
}

/** The other non-empty columns as "name=value; …" (the value alone without a header name), or undefined. */
function otherColumns(
  fields: readonly string[],
  column: number,
  names: readonly string[] | undefined,
): string | undefined {
  let out: string | undefined;
  for (let c = 0; c < fields.length; c++) {
    const value = (fields[c] ?? "").trim();
    if (c === column || value === "") continue;
    const name = names?.[c];
    const part = name ? `${name}=${value}` : value;
    out = out === undefined ? part : `${out}; ${part}`;
  }
  return out;
}

function describe(separator: Separator): string {
  return separator === "\t" ? "tab" : `"${separator}"`;
}

export const csvParser: Parser = { id: "csv", label: "CSV", detect: detectCsv, parse: parseCsv };
