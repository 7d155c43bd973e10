"use client";

import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from "@tanstack/react-table";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "./StatusBadge";
import { formatTime } from "./time";
import type { FirewallRow } from "./types";
import { SortableHeaderCell } from "@/components/SortableHeaderCell";

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
const helper = createColumnHelper<typeof features, FirewallRow>();

const columns = helper.columns([
  helper.accessor("name", {
    header: "Name",
    sortFn: (a, b) => a.original.name.localeCompare(b.original.name, "en", { sensitivity: "base" }),
    cell: (info) => (
      <div>
        <Link
          href={`/firewalls/${info.row.original.id}`}
          className="font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
        >
          {info.getValue()}
        </Link>
        {/* w-0 + min-w-full: the description takes the column's width and never widens it (it is cut instead). */}
        {info.row.original.description ? (
          <p className="w-0 min-w-full max-w-md truncate text-xs text-slate-500 dark:text-slate-400">
            {info.row.original.description}
          </p>
        ) : null}
      </div>
    ),
  }),
  helper.accessor("gaps", {
    id: "status",
    header: "Status",
    sortFn: (a, b) => a.original.gaps - b.original.gaps,
    cell: (info) => <StatusBadge label={info.row.original.status} compliant={info.row.original.compliant} />,
  }),
  helper.accessor((row) => row.regions.join(", "), { id: "regions", header: "Regions" }),
  helper.accessor("port", { header: "Port", cell: (info) => <span className="tabular-nums">{info.getValue()}</span> }),
  helper.accessor("revision", {
    header: "Revision",
    cell: (info) => <span className="tabular-nums">{info.getValue()}</span>,
  }),
  helper.accessor("updatedAt", {
    header: "Last changed",
    cell: (info) => <time dateTime={info.getValue()}>{formatTime(info.getValue())}</time>,
  }),
]);

// On a phone the table keeps its key columns (name, status); the rest come back at md.
const SECONDARY_COLUMNS: ReadonlySet<string> = new Set(["regions", "port", "revision", "updatedAt"]);
const SECONDARY_CLASS = "hidden md:table-cell";

export function FirewallTable({ rows }: { rows: readonly FirewallRow[] }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useTable({
    features,
    columns,
    data: rows as FirewallRow[],
    state: { sorting },
    onSortingChange: setSorting,
  });
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm md:min-w-[720px]" data-testid="firewall-table">
        <caption className="sr-only">Saved firewalls and their status against the current catalog</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <SortableHeaderCell
                  key={header.id}
                  sorted={header.column.getIsSorted()}
                  canSort={header.column.getCanSort()}
                  onToggle={header.column.getToggleSortingHandler()}
                  className={SECONDARY_COLUMNS.has(header.column.id) ? SECONDARY_CLASS : ""}
                >
                  <table.FlexRender header={header} />
                </SortableHeaderCell>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-900/60" data-firewall={row.original.name}>
              {row.getAllCells().map((cell) => (
                <td
                  key={cell.id}
                  className={`px-3 py-2 align-top ${cell.column.id === "name" ? "[overflow-wrap:anywhere]" : "whitespace-nowrap"} ${SECONDARY_COLUMNS.has(cell.column.id) ? SECONDARY_CLASS : ""}`}
                >
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
