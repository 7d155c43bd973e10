"use client";

import {
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { SortableHeaderCell } from "@/components/SortableHeaderCell";

export const tableFeatureSet = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
export type Features = typeof tableFeatureSet;

const ROW_HEIGHT = 34;

/** A column's own classes (`meta: { className }`), e.g. one hidden on narrow screens. */
function columnClass(meta: unknown): string {
  return typeof meta === "object" && meta !== null && "className" in meta && typeof meta.className === "string"
    ? meta.className
    : "";
}

/**
 * A sortable table that renders only the rows in view (spacer rows keep the scroll height), so a hundred thousand
 * findings stay cheap. Rows whose `isSelected` is true are marked and scrolled into view when `revealAt` changes.
 * Clickable rows are one Tab stop: arrow keys, Home and End move between them, Enter or Space clicks.
 */
export function VirtualTable<T extends RowData>({
  columns,
  data,
  label,
  testId,
  minWidth = 640,
  isSelected,
  revealAt,
  onRowClick,
  rowKey,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of different value types share one list
  columns: ColumnDef<Features, T, any>[];
  data: readonly T[];
  label: string;
  testId: string;
  minWidth?: number;
  isSelected?: (row: T) => boolean;
  revealAt?: number;
  onRowClick?: (row: T) => void;
  rowKey: (row: T) => string;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useTable({
    features: tableFeatureSet,
    columns,
    data: data as T[],
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => rowKey(row),
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // The row index in the Tab order; a row focused by the keyboard may first have to be scrolled into the DOM.
  const [active, setActive] = useState(0);
  const [focusAt, setFocusAt] = useState<number>();

  useEffect(() => {
    if (revealAt === undefined || !isSelected) return;
    const at = rows.findIndex((r) => isSelected(r.original));
    if (at < 0) return;
    virtualizer.scrollToIndex(at, { align: "auto" });
    // Tabbing into the table then lands on the revealed row.
    setActive(at);
    // Only a new reveal request scrolls; re-renders while the user scrolls must not pull the table back.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new reveal request scrolls (see above)
  }, [revealAt]);

  const activeRow = Math.min(active, Math.max(0, rows.length - 1));
  useEffect(() => {
    if (focusAt === undefined) return;
    scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${focusAt}"]`)?.focus();
  });
  const onRowKeyDown = (e: KeyboardEvent, index: number, row: T) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onRowClick?.(row);
      return;
    }
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const clamped = Math.min(Math.max(0, next), rows.length - 1);
    setActive(clamped);
    setFocusAt(clamped);
    virtualizer.scrollToIndex(clamped, { align: "auto" });
  };

  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const columnCount = table.getAllLeafColumns().length;

  return (
    <div
      ref={scrollRef}
      className="max-h-[28rem] overflow-auto rounded-lg border border-slate-200 dark:border-slate-800"
    >
      <table
        className="w-full text-left text-sm"
        style={{ minWidth }}
        aria-label={label}
        aria-rowcount={rows.length + 1}
        data-testid={testId}
      >
        <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <SortableHeaderCell
                  key={header.id}
                  className={columnClass(header.column.columnDef.meta)}
                  sorted={header.column.getIsSorted()}
                  canSort={header.column.getCanSort()}
                  onToggle={header.column.getToggleSortingHandler()}
                >
                  <table.FlexRender header={header} />
                </SortableHeaderCell>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {top > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: top, padding: 0 }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const selected = isSelected?.(row.original) ?? false;
            return (
              <tr
                key={row.id}
                // Rows are measured: a long explanation wraps onto more lines instead of being clipped.
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + 2}
                data-index={item.index}
                tabIndex={onRowClick ? (item.index === activeRow ? 0 : -1) : undefined}
                onKeyDown={onRowClick ? (e) => onRowKeyDown(e, item.index, row.original) : undefined}
                onFocus={onRowClick ? () => setActive(item.index) : undefined}
                onBlur={onRowClick ? () => setFocusAt(undefined) : undefined}
                aria-selected={onRowClick ? selected : undefined}
                data-selected={selected || undefined}
                onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                className={`${onRowClick ? "cursor-pointer focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500" : ""} ${
                  selected ? "bg-sky-100 dark:bg-sky-900/50" : "hover:bg-slate-50 dark:hover:bg-slate-900/60"
                }`}
                style={{ height: ROW_HEIGHT }}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`px-3 py-1.5 align-top ${columnClass(cell.column.columnDef.meta)}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: bottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
