/**
 * The diff of a plain list read into columns (lib/parse/columnar.ts), without an object per entry: flags and status
 * in one byte per entry, verdict messages built only for the rows a caller reads. Every entry of a plain list is an
 * inbound allow on any port, so only the few entries that touch the catalog need the first-match set arithmetic,
 * and those run through the kernel's evaluation (evaluateTouching) on their Entry, as in the object engine. The result equals
 * diff(published, parsePlain(text), options) exactly (see toDiffResult and columnar.test.ts).
 */
import type { CatalogSource } from "../../catalog/catalog";
import { columnEntry, columnToken, KIND_SIDE, KIND_V6_CIDR, type PlainColumns } from "../../parse/columnar";
import type { Entry } from "../../parse/types";
import { FLAG_BIT, FLAG_MASK, flagBits, flagsOf } from "../flags";
import { diffContext, type DiffContext } from "../kernel/context";
import { diffSummary, evaluateTouching, mergeByLine, splitFindings } from "../kernel/evaluate";
import { duplicateMessage, overbroadMessage, redundantMessage } from "../kernel/messages";
import { newOverlaps, sweepIPv4, sweepIPv6Words, type SweepThread } from "../kernel/overlaps";
import type { DiffOptions, DiffResult, DiffRows, EntryVerdict } from "../types";

export interface ColumnarDiff extends DiffRows {
  rowStatus(row: number): "covers" | "unrelated" | "invalid";
  rowKey(row: number): number;
  /** The object form, equal to diff(published, parsePlain(text), options). */
  toDiffResult(): DiffResult;
}

/** Bits of the per-entry flags above FLAG_BIT's: the entry covers a published entry; it touched the catalog (its
 *  message was decided then). */
const COVERS = FLAG_MASK + 1;
const TOUCHED = COVERS << 1;
/** rowKey of an invalid row (its flag bits below). */
const INVALID_KEY = TOUCHED << 1;

export function diffColumns(
  published: CatalogSource,
  c: PlainColumns,
  options: Partial<DiffOptions> = {},
  /** Sweeps the IPv6 entries meanwhile (c's IPv6 columns must then be in its shared memory). */
  thread?: SweepThread,
): ColumnarDiff {
  const ctx = diffContext(published, [], options);
  const n = c.count;
  // Every plain entry is an inbound allow on any port and protocol: all apply.
  const applyingAllow = new Uint8Array(n).fill(1);
  const overlaps = newOverlaps(n, thread?.allocate);
  const join = thread?.sweepIPv6(c.v6Index, c.first6, c.last6, overlaps);
  sweepIPv4(applyingAllow, c.v4Index, c.first4, c.last4, undefined, overlaps);
  if (join === undefined) sweepIPv6Words(applyingAllow, c.v6Index, c.first6, c.last6, undefined, overlaps);

  const flags = new Uint16Array(n);
  /** Messages of the entries that touched the catalog, decided in evaluation order (undefined: none yet). */
  const touched = new Map<number, string | undefined>();
  const catalog = ctx.catalogIndex;
  const wholeSpace4 = 2 ** 32;
  const v6Catalog = catalog.hasIPv6;
  // The IPv6 over-broad threshold as a number (a power of two, exact), converted once rather than per entry.
  const limit6 = Number(ctx.threshold6);
  const { hostBits, slot: slots, first4, last4 } = c;
  const { duplicateOf, insideOf } = overlaps;
  const DUPLICATE = FLAG_BIT["duplicate"];
  const REDUNDANT = FLAG_BIT["redundant"];
  const threshold4 = ctx.threshold4;
  const HOST_BITS = FLAG_BIT["host-bits"];
  const OVERBROAD = FLAG_BIT["overbroad"];
  // Entries with a flag, for the reports' finding count (an IPv6 entry's once its marks are in).
  let attention = 0;
  for (let i = 0; i < n; i++) {
    let f = hostBits[i] === 1 ? HOST_BITS : 0;
    const slot = slots[i]!;
    let touches: boolean;
    if (slot >= 0) {
      const first = first4[slot]!;
      const last = last4[slot]!;
      const size = last - first + 1;
      if (size > threshold4 || size === wholeSpace4) f |= OVERBROAD;
      touches = catalog.touches4(first, last);
    } else {
      if (isOverbroad6(ctx, c, i, limit6)) f |= OVERBROAD;
      touches = v6Catalog && catalog.touches6(words(c.first6, ~slot), words(c.last6, ~slot));
    }
    if (touches) f = evaluateColumn(ctx, c, i, f, touched);
    // The swept marks; an IPv6 entry's only once a thread sweeping them has finished (below).
    if (slot >= 0 || join === undefined) {
      if (duplicateOf[i]! >= 0) f |= DUPLICATE;
      if (insideOf[i]! >= 0) f |= REDUNDANT;
      if ((f & FLAG_MASK) !== 0) attention++;
    }
    flags[i] = f;
  }
  if (join !== undefined) {
    // The thread's IPv6 sweep (or the same sweep here, if the thread could not finish it).
    if (!join()) sweepIPv6Words(applyingAllow, c.v6Index, c.first6, c.last6, undefined, overlaps);
    for (const i of c.v6Index) {
      let f = flags[i]!;
      if (duplicateOf[i]! >= 0) f |= DUPLICATE;
      if (insideOf[i]! >= 0) f |= REDUNDANT;
      if ((f & FLAG_MASK) !== 0) attention++;
      flags[i] = f;
    }
  }

  const { invalidRows, findings } = splitFindings(c.findings);
  // Row → entry index (>= 0) or ~position in the invalid rows; identity when there are none.
  let rowMap: Int32Array | undefined;
  let invalidSorted: EntryVerdict[] = [];
  if (invalidRows.length > 0) {
    invalidSorted = invalidRows.slice().sort((a, b) => a.line - b.line);
    rowMap = new Int32Array(n + invalidSorted.length);
    let j = 0;
    let row = 0;
    for (let i = 0; i < n; i++) {
      while (j < invalidSorted.length && invalidSorted[j]!.line < c.line[i]!) rowMap[row++] = ~j++;
      rowMap[row++] = i;
    }
    while (j < invalidSorted.length) rowMap[row++] = ~j++;
  }

  // Many entries sit inside the same wide one: they share its message string.
  const insideMessages = new Map<number, string>();
  const messageOf = (i: number): string => {
    const f = flags[i]!;
    let message: string | undefined;
    if ((f & TOUCHED) !== 0) message = touched.get(i);
    else if ((f & FLAG_BIT["overbroad"]) !== 0) message = overbroadOf(ctx, c, i, undefined);
    if (message !== undefined) return message;
    const dup = duplicateOf[i]!;
    if (dup >= 0) return duplicateMessage(c.line[dup]!);
    const inside = insideOf[i]!;
    if (inside >= 0) {
      message = insideMessages.get(inside);
      if (message === undefined) {
        message = redundantMessage(columnToken(c, inside), c.line[inside]!);
        insideMessages.set(inside, message);
      }
      return message;
    }
    return ctx.unrelatedMessage;
  };
  const textOf = (i: number): string => c.text.slice(c.lineStart[i]!, c.lineEnd[i]!);
  const verdictOf = (i: number): EntryVerdict => {
    const f = flags[i]!;
    return {
      line: c.line[i]!,
      text: textOf(i),
      status: (f & COVERS) !== 0 ? "covers" : "unrelated",
      flags: flagsOf(f & FLAG_MASK),
      message: messageOf(i),
      entryIndex: i,
    };
  };

  const summary = diffSummary(ctx, "plain");
  const entryCount = n + invalidSorted.length;
  const entryAt = (row: number): EntryVerdict => {
    if (rowMap === undefined) return verdictOf(row);
    const r = rowMap[row]!;
    return r >= 0 ? verdictOf(r) : invalidSorted[~r]!;
  };
  return {
    regions: summary.regions,
    format: summary.format,
    summary: summary.summary,
    byRegion: summary.byRegion,
    published: summary.published,
    findings,
    notes: summary.notes,
    entryCount,
    attentionCount: attention + invalidSorted.length,
    entryAt,
    needsAttention: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r < 0 || (flags[r]! & FLAG_MASK) !== 0;
    },
    rowLine: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r >= 0 ? c.line[r]! : invalidSorted[~r]!.line;
    },
    rowStatus: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r < 0 ? "invalid" : (flags[r]! & COVERS) !== 0 ? "covers" : "unrelated";
    },
    // Status and flags are the bits of FLAG_MASK and COVERS; an invalid row's flags are above them.
    rowKey: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r >= 0 ? flags[r]! & (FLAG_MASK | COVERS) : INVALID_KEY | flagBits(invalidSorted[~r]!.flags);
    },
    rowFlags: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r >= 0 ? flagsOf(flags[r]! & FLAG_MASK) : invalidSorted[~r]!.flags;
    },
    rowText: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r >= 0 ? textOf(r) : invalidSorted[~r]!.text;
    },
    rowMessage: (row) => {
      const r = rowMap === undefined ? row : rowMap[row]!;
      return r >= 0 ? messageOf(r) : invalidSorted[~r]!.message;
    },
    writeJsonRows: (w, section, from, to) => {
      for (let row = from; row < to; row++) {
        if (w.full) return row;
        const r = rowMap === undefined ? row : rowMap[row]!;
        if (r < 0) {
          const v = invalidSorted[~r]!;
          if (section === "lines") w.line(v.line, v.text);
          else if (!w.entry(v.line, INVALID_KEY | flagBits(v.flags), v.message)) {
            w.defineKey(INVALID_KEY | flagBits(v.flags), v.status, v.flags);
            w.entry(v.line, INVALID_KEY | flagBits(v.flags), v.message);
          }
        } else if (section === "lines") w.lineSpan(c.line[r]!, c.lineStart[r]!, c.lineEnd[r]!);
        else {
          const f = flags[r]!;
          const key = f & (FLAG_MASK | COVERS);
          const message = messageOf(r);
          if (!w.entry(c.line[r]!, key, message)) {
            w.defineKey(key, (f & COVERS) !== 0 ? "covers" : "unrelated", flagsOf(f & FLAG_MASK));
            w.entry(c.line[r]!, key, message);
          }
        }
      }
      return to;
    },
    textSpans: {
      source: c.text,
      start: (row) => {
        const r = rowMap === undefined ? row : rowMap[row]!;
        return r >= 0 ? c.lineStart[r]! : -1;
      },
      end: (row) => {
        const r = rowMap === undefined ? row : rowMap[row]!;
        return r >= 0 ? c.lineEnd[r]! : -1;
      },
    },
    toDiffResult: () => {
      const verdicts: EntryVerdict[] = [];
      for (let i = 0; i < n; i++) verdicts.push(verdictOf(i));
      return {
        regions: summary.regions,
        format: summary.format,
        summary: summary.summary,
        byRegion: summary.byRegion,
        published: summary.published,
        entries: mergeByLine(verdicts, invalidRows),
        findings,
        notes: summary.notes,
      };
    },
  };
}

/** The flags of entry i, which touches the catalog: its verdict decided by the kernel, its message kept in `touched`. */
function evaluateColumn(
  ctx: DiffContext,
  c: PlainColumns,
  i: number,
  f: number,
  touched: Map<number, string | undefined>,
): number {
  const e = columnEntry(c, i);
  const message = (f & FLAG_BIT["overbroad"]) !== 0 ? overbroadOf(ctx, c, i, e) : undefined;
  const r = evaluateTouching(ctx, e, true, f, message);
  touched.set(i, r.message);
  return r.flags | (r.covers ? COVERS : 0) | TOUCHED;
}

/** A 128-bit address from 4 words. Only for an IPv6 catalog, which the seed vendor does not have. */
function words(w: Uint32Array, k: number): bigint {
  return (
    (BigInt(w[k * 4]!) << 96n) | (BigInt(w[k * 4 + 1]!) << 64n) | (BigInt(w[k * 4 + 2]!) << 32n) | BigInt(w[k * 4 + 3]!)
  );
}

function isOverbroad6(ctx: DiffContext, c: PlainColumns, i: number, limit6: number): boolean {
  const kind = c.kind[i]!;
  if (kind === KIND_SIDE) {
    const r = c.side.get(i)!.range;
    const size = r.last.value - r.first.value + 1n;
    return size > ctx.threshold6 || size === 1n << 128n;
  }
  // A /len holds 2^(128 - len) addresses: wider than /overbroadV6 exactly when len < overbroadV6.
  if (kind === KIND_V6_CIDR) return 2 ** (128 - c.bits[i]!) > limit6 || c.bits[i] === 0;
  return 1 > limit6;
}

/** The over-broad message of entry i, as the object diff words it. */
function overbroadOf(ctx: DiffContext, c: PlainColumns, i: number, e: Entry | undefined): string | undefined {
  const slot = c.slot[i]!;
  const entry: Pick<Entry, "kind" | "token"> = e ?? {
    kind: c.kind[i] === KIND_SIDE ? c.side.get(i)!.kind : "cidr",
    token: columnToken(c, i),
  };
  if (slot >= 0) return overbroadMessage(ctx, entry, true, c.last4[slot]! - c.first4[slot]! + 1);
  return overbroadMessage(ctx, entry, false, words(c.last6, ~slot) - words(c.first6, ~slot) + 1n);
}
