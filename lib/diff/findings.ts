/**
 * The findings of a diff as one list sorted by line: the entries that need attention (a status other than covers or
 * unrelated, or a flag) and the parser's findings. The text reports (CLI) and the JSON `findings` read the same list,
 * so the JSON lists a finding wherever the text does.
 */
import type { FindingKind } from "../parse/types";
import { FINDING_KIND_LABEL, verdictCodes, verdictLabels } from "./labels";
import type { DiffRows, EntryFlag, EntryStatus, EntryVerdict } from "./types";

/**
 * Whether an entry's finding repeats the previous entry's word for word, and is left out of the findings lists: a
 * rule read as several entries (an inet rule gives one per address family, `-s a,b` one per source) is one finding
 * where its verdict does not depend on the address ("Never met …", "Deny rule: it blocks no published NAT IP …").
 * Only the rule verdicts (inactive, deny, outbound) merge; they come from the objects engine alone, so the columnar
 * engine's attentionCount needs no such check.
 */
export function repeatsPreviousFinding(
  previous: FindingKey | undefined,
  entry: FindingKey,
  anyStatus = false,
): boolean {
  return (
    previous !== undefined &&
    (anyStatus ? entry.status !== "invalid" : RULE_VERDICTS.has(entry.status)) &&
    entry.status === previous.status &&
    entry.line === previous.line &&
    entry.message === previous.message &&
    entry.flags.length === previous.flags.length &&
    entry.flags.every((f, k) => f === previous.flags[k])
  );
}

type FindingKey = Pick<EntryVerdict, "line" | "status" | "flags" | "message">;

const RULE_VERDICTS: ReadonlySet<EntryStatus> = new Set(["inactive", "deny", "outbound"]);

/** repeatsPreviousFinding for row `row` of `r` and the row before it, building neither verdict. */
function rowRepeats(r: DiffRows, row: number): boolean {
  if (row === 0 || !RULE_VERDICTS.has(r.rowStatus(row))) return false;
  const prev = row - 1;
  return repeatsPreviousFinding(
    { line: r.rowLine(prev), status: r.rowStatus(prev), flags: r.rowFlags(prev), message: r.rowMessage(prev) },
    { line: r.rowLine(row), status: r.rowStatus(row), flags: r.rowFlags(row), message: r.rowMessage(row) },
  );
}

/** Verdicts remembered per line to leave out their repeats; past it, a line's further rows are all listed. */
const SEEN_PER_LINE = 64;

/**
 * Which rows that need attention repeat a finding already listed, called for each such row in row order. The columnar
 * engine (it counted attentionCount itself), and the objects engine on a plain list, merge as repeatsPreviousFinding
 * says. Otherwise any verdict
 * said word for word again among the rows of a line is left out too: one rule's sources on one line (Azure's
 * sourceAddressPrefixes, a GCP rule's sourceRanges) each said "Only TCP 80 …", and the pieces of a deny around a
 * negated set said the same "Denies …" several times between their other messages.
 */
function repeatFilter(r: DiffRows): (row: number) => boolean {
  // A plain list (either engine: they must list the same findings) keeps a row per address it names.
  if (r.attentionCount !== undefined || r.format === "plain") return (row) => rowRepeats(r, row);
  let line = Number.NaN;
  const seen = new Set<string>();
  return (row) => {
    const status = r.rowStatus(row);
    if (status === "invalid") return false;
    const at = r.rowLine(row);
    if (at !== line) {
      line = at;
      seen.clear();
    }
    const key = `${status}\0${r.rowFlags(row).join(",")}\0${r.rowMessage(row)}`;
    if (seen.has(key)) return true;
    if (seen.size < SEEN_PER_LINE) seen.add(key);
    return false;
  };
}

export interface ReportFinding {
  readonly line: number;
  /** Stable codes: the entry's status (unless covers/unrelated) and flags, or the parser finding's kind. */
  readonly codes: readonly (EntryStatus | EntryFlag | FindingKind)[];
  /** Human labels of the codes, in the same order. */
  readonly labels: readonly string[];
  readonly message: string;
}

export interface CollectedFindings {
  readonly total: number;
  /** The first `limit` findings by line (findings about the whole input, line 0, first). */
  readonly first: readonly ReportFinding[];
}

/**
 * Rows that need attention (exactly the rows with a code: a status other than covers/unrelated, or a flag), less
 * the ones that repeat the finding before them; their
 * lines read once, sorted by line only when they are not in line order already. Only the `limit` rows listed are
 * built: a 1M-row list with 300k findings builds 50 verdicts for the text report.
 */
export function collectFindings(r: DiffRows, limit: number): CollectedFindings {
  // First their count and whether they come in line order (the columnar engine counted them, and its rows always
  // are); then, in order, only the first `limit` of them are kept (a sort needs them all).
  let count = r.attentionCount ?? 0;
  let ordered = true;
  let last = Number.NEGATIVE_INFINITY;
  const counted = repeatFilter(r);
  for (let row = 0; r.attentionCount === undefined && row < r.entryCount; row++) {
    if (!r.needsAttention(row) || counted(row)) continue;
    count++;
    const line = r.rowLine(row);
    if (line < last) ordered = false;
    last = line;
  }
  const rows: number[] = [];
  const lines: number[] = [];
  const listed = repeatFilter(r);
  for (let row = 0; row < r.entryCount && (!ordered || rows.length < limit); row++) {
    if (!r.needsAttention(row) || listed(row)) continue;
    rows.push(row);
    lines.push(r.rowLine(row));
  }
  const order = rows.map((_, k) => k);
  if (!ordered) order.sort((a, b) => lines[a]! - lines[b]! || a - b);
  const parser = r.findings.map((f, k) => ({ f, k })).sort((a, b) => a.f.line - b.f.line || a.k - b.k);
  const first: ReportFinding[] = [];
  let i = 0;
  let j = 0;
  // Merge by line; on the same line the entry's verdict comes before the parser's remark.
  while (first.length < limit && (i < order.length || j < parser.length)) {
    const entryLine = i < order.length ? lines[order[i]!]! : Number.POSITIVE_INFINITY;
    const parserLine = j < parser.length ? parser[j]!.f.line : Number.POSITIVE_INFINITY;
    if (entryLine <= parserLine) {
      const e = r.entryAt(rows[order[i++]!]!);
      first.push({
        line: e.line,
        codes: verdictCodes(e.status, e.flags),
        labels: verdictLabels(e.status, e.flags),
        message: e.message,
      });
    } else {
      const f = parser[j++]!.f;
      first.push({ line: f.line, codes: [f.kind], labels: [FINDING_KIND_LABEL[f.kind]], message: f.message });
    }
  }
  return { total: count + r.findings.length, first };
}
