/**
 * The one entry point of a diff of a text: the compare screen's worker, the `allowlist diff` command and the API's
 * diff jobs all call runDiff. It detects the format, picks the engine (the columnar one for plain lists, which builds
 * no object per entry; the object one for every other format) and decides, the same way for every caller, whether
 * anything in the text was recognised at all: an empty, binary or unreadable paste is "unusable", not "everything
 * missing".
 */
import type { CatalogSource } from "../catalog/catalog";
import { scanPlainColumns, type PlainColumns } from "../parse/columnar";
import { isJsWhitespace } from "../parse/lines";
import { isCommentStart } from "../parse/plain";
import { detectFormat, exceedsInputLimit, formatLabel, MAX_INPUT_BYTES, parseText } from "../parse/registry";
import type { Finding, FindingKind, FormatId, ParseOptions, ParseOutput } from "../parse/types";
import { diffColumns, type ColumnarDiff } from "./engines/columnar";
import { diff } from "./engines/objects";
import { withPublishedDestinations } from "./kernel/destination";
import type { SweepThread } from "./kernel/overlaps";
import { cutMessage, rowsOfResult } from "./report";
import type { DiffResult, DiffRows } from "./types";

export interface RunDiffRequest {
  readonly text: string;
  readonly format: FormatId | "auto";
  readonly regions: readonly string[];
  readonly port: number;
  readonly catalog: CatalogSource;
  /** Path overrides (the service is the host or behind it; the Internet side). */
  readonly parse?: Pick<ParseOptions, "path" | "ingress">;
  /** Refuse input larger than this many UTF-8 bytes (MAX_INPUT_BYTES by default; the CLI reading a file lifts it). */
  readonly maxBytes?: number;
  /** "objects" forces the object engine (the reference the columnar one is tested against). */
  readonly engine?: "auto" | "objects";
  /** A second thread for a plain list's IPv6 sweep (the command line's, for a large list: lib/cli/diff-thread.ts). */
  readonly thread?: SweepThread;
  /** Called once the text is parsed, before the diff starts (progress reports and timings). */
  readonly onParsed?: () => void;
}

/** Why a text gave nothing to diff. */
export type UnusableReason = "empty" | "binary" | "nothing-recognised";

export interface UnreadableLine {
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

/** A text in which nothing recognisable was found: callers show this instead of a diff. */
export interface Unusable {
  readonly reason: UnusableReason;
  readonly format: FormatId;
  readonly detected: boolean;
  /** "Nothing recognised — is this the right format? …" and the format read: one message for the UI, the CLI and the API. */
  readonly message: string;
  /** The first lines that could not be read (at most UNREADABLE_SHOWN), with their line numbers. */
  readonly lines: readonly UnreadableLine[];
}

interface RunBase {
  readonly format: FormatId;
  /** True when the format came from detection. */
  readonly detected: boolean;
  readonly lineCount: number;
  /** Set when nothing in the text was recognised; the diff is then all "missing" and must not be shown as such. */
  readonly unusable?: Unusable;
  /** The verdicts, read row by row (both engines). */
  readonly rows: DiffRows;
}

export type DiffRun =
  | (RunBase & { readonly engine: "columnar"; readonly columns: PlainColumns; readonly rows: ColumnarDiff })
  | (RunBase & { readonly engine: "objects"; readonly parsed: ParseOutput; readonly result: DiffResult });

export const UNREADABLE_SHOWN = 5;
const UNREADABLE_TEXT = 120;

export const NOTHING_RECOGNISED = "Nothing recognised — is this the right format?";

/** Finding kinds of a line that was not read (anything else on a line means the parser understood something). */
const UNREAD_KINDS: ReadonlySet<FindingKind> = new Set(["invalid", "ambiguous", "not-understood"]);

export function runDiff(request: RunDiffRequest): DiffRun {
  const { text, regions, port, catalog } = request;
  const maxBytes = request.maxBytes ?? MAX_INPUT_BYTES;
  // An oversized text is refused by parseText (a finding), whatever its format: it is not "unrecognised".
  const tooLarge = exceedsInputLimit(text, maxBytes);
  const detected = request.format === "auto";
  const format = detected && !tooLarge ? detectFormat(text).format : request.format;
  if (format === "plain" && !tooLarge && request.engine !== "objects") {
    const columns = scanPlainColumns(text, request.thread?.allocate);
    request.onParsed?.();
    const rows = diffColumns(catalog, columns, { regions, port }, request.thread);
    const unusable = columns.count === 0 ? unusableOf(text, "plain", detected, columns.findings) : undefined;
    return {
      engine: "columnar",
      format: "plain",
      detected,
      lineCount: columns.lineCount,
      columns,
      rows,
      ...(unusable ? { unusable } : {}),
    };
  }
  // Marked here, not only inside diff(): callers read the rules of `parsed` with the verdicts (and trace it).
  const parsed = withPublishedDestinations(
    oneLineNote(text, parseText(text, format, { maxBytes, ...request.parse, port })),
    catalog,
  );
  request.onParsed?.();
  const result = diff(catalog, parsed, { regions, port });
  const unusable =
    !tooLarge && parsed.entries.length === 0 ? unusableOf(text, parsed.format, detected, parsed.findings) : undefined;
  return {
    engine: "objects",
    format: parsed.format,
    detected,
    lineCount: parsed.lineCount,
    parsed,
    result,
    rows: rowsOfResult(result),
    ...(unusable ? { unusable } : {}),
  };
}

/** Said when a JSON or XML document on one line gives several entries or findings: they all name line 1. */
export const ONE_LINE_NOTE =
  "The paste is one line, so every entry and finding names line 1. Formatted with one element per line (jq . for JSON, xmllint --format for XML), each names its own.";

/** The parse with ONE_LINE_NOTE added when it applies (`nft -j list ruleset`, an API's JSON, a one-line XML export). */
function oneLineNote(text: string, parsed: ParseOutput): ParseOutput {
  if (parsed.lineCount !== 1 || parsed.entries.length + parsed.findings.length < 2) return parsed;
  let k = 0;
  while (k < text.length && isJsWhitespace(text.charCodeAt(k))) k++;
  const first = text.charCodeAt(k);
  // "{", "[" or "<".
  if (first !== 123 && first !== 91 && first !== 60) return parsed;
  return { ...parsed, notes: [...parsed.notes, ONE_LINE_NOTE] };
}

/**
 * For a parse that found no address: unusable when no line was read either (every non-blank,
 * non-comment line is one the parser could not read), else undefined (a config that allows nothing is a real answer).
 */
export function unusableOf(
  text: string,
  format: FormatId,
  detected: boolean,
  findings: readonly Finding[],
): Unusable | undefined {
  const how = `Read as ${formatLabel(format)}${detected ? " (detected)" : ""}`;
  if (text.trim() === "") {
    return {
      reason: "empty",
      format,
      detected,
      message: `${NOTHING_RECOGNISED} The input is ${text === "" ? "empty" : "only whitespace"}. ${how}.`,
      lines: [],
    };
  }
  if (looksBinary(text)) {
    return {
      reason: "binary",
      format,
      detected,
      message: `${NOTHING_RECOGNISED} The input looks like a binary file, not text. ${how}.`,
      lines: firstLines(text, new Map(), true),
    };
  }
  const unread = new Map<number, string>();
  const remarked = new Set<number>();
  for (const f of findings) {
    if (f.line < 1) continue;
    if (!UNREAD_KINDS.has(f.kind)) remarked.add(f.line);
    else if (!unread.has(f.line)) unread.set(f.line, f.message);
  }
  let lineNo = 0;
  for (const line of text.split("\n")) {
    lineNo++;
    const t = line.trim();
    // A line with a remark (a hostname, an object) or none at all was read: the text is usable, it allows nothing.
    if (t !== "" && !isCommentStart(t, 0) && !t.startsWith("!") && (!unread.has(lineNo) || remarked.has(lineNo)))
      return undefined;
  }
  return {
    reason: "nothing-recognised",
    format,
    detected,
    message: `${NOTHING_RECOGNISED} No address or rule was found. ${how}.`,
    lines: firstLines(text, unread, false),
  };
}

/** NUL bytes, or many control characters, in the first 4 KB. */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control > head.length / 10;
}

/** The first non-blank, non-comment lines (those with a reason in `unread` when any has one), cut and made printable. */
function firstLines(text: string, unread: ReadonlyMap<number, string>, binary: boolean): UnreadableLine[] {
  const out: UnreadableLine[] = [];
  let lineNo = 0;
  let from = 0;
  while (from <= text.length && out.length < UNREADABLE_SHOWN) {
    const nl = text.indexOf("\n", from);
    const raw = text.slice(from, nl < 0 ? text.length : nl);
    lineNo++;
    from = nl < 0 ? text.length + 1 : nl + 1;
    const t = raw.trim();
    if (t === "" || (!binary && (isCommentStart(t, 0) || t.startsWith("!")))) continue;
    if (unread.size > 0 && !unread.has(lineNo)) continue;
    // A message can quote a token of any length (a 20 MB line): cut like every message of a report.
    out.push({
      line: lineNo,
      text: printable(t),
      message: cutMessage(unread.get(lineNo) ?? (binary ? "Not text." : "Not read.")),
    });
  }
  return out;
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const clean = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, "·");
  return clean.length > UNREADABLE_TEXT ? `${clean.slice(0, UNREADABLE_TEXT)}…` : clean;
}
