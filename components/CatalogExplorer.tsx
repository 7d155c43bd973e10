"use client";

import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { CatalogRow } from "@/lib/catalog/rows";
import { formatRegionList, parseRegionList } from "@/lib/catalog/regions";
import { buildCatalog } from "@/lib/catalog/catalog";
import { compileSearch } from "@/lib/catalog/search";
import { aggregate, compareAddress, formatPrefix, mustParseAddress } from "@/lib/ip";
import { CopyButton } from "./CopyButton";
import { ExportPanel } from "./export/ExportPanel";
import { RegionPicker, type RegionOption } from "./RegionPicker";
import { useUrlParam } from "./useUrlParam";
import { SortableHeaderCell } from "@/components/SortableHeaderCell";

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
const helper = createColumnHelper<typeof features, CatalogRow>();

function byAddress(a: string, b: string): number {
  return compareAddress(mustParseAddress(a), mustParseAddress(b));
}

const columns = helper.columns([
  helper.accessor("region", {
    header: "Region",
    // Catalog order (US, EU, IN, AU) rather than alphabetical: it is how the vendor publishes them.
    sortFn: (a, b) => a.original.position - b.original.position,
    cell: (info) => <span className="font-medium">{info.getValue()}</span>,
  }),
  helper.accessor("cidr", {
    header: "CIDR",
    sortFn: (a, b) => byAddress(a.original.first, b.original.first) || a.original.cidr.localeCompare(b.original.cidr),
    cell: (info) => <code className="font-mono text-[13px]">{info.getValue()}</code>,
  }),
  helper.accessor("first", {
    header: "First address",
    sortFn: (a, b) => byAddress(a.original.first, b.original.first),
    cell: (info) => <span className="font-mono text-[13px]">{info.getValue()}</span>,
  }),
  helper.accessor("last", {
    header: "Last address",
    sortFn: (a, b) => byAddress(a.original.last, b.original.last),
    cell: (info) => <span className="font-mono text-[13px]">{info.getValue()}</span>,
  }),
  helper.accessor("count", {
    header: "Addresses",
    sortFn: (a, b) => {
      const x = BigInt(a.original.count);
      const y = BigInt(b.original.count);
      return x < y ? -1 : x > y ? 1 : 0;
    },
    cell: (info) => <span className="tabular-nums">{BigInt(info.getValue()).toLocaleString("en-US")}</span>,
  }),
  helper.accessor((row) => row.products.join(", "), {
    id: "products",
    header: "Products",
    enableSorting: false,
  }),
  helper.display({
    id: "copy",
    header: () => <span className="sr-only">Copy</span>,
    cell: (info) => (
      <CopyButton
        text={() => `${info.row.original.cidr}\n`}
        label="Copy"
        ariaLabel={`Copy ${info.row.original.cidr}`}
        className="text-xs"
      />
    ),
  }),
]);

// On a phone the table keeps its key columns (region, CIDR, copy); size, range ends and products come back at md.
const SECONDARY_COLUMNS: ReadonlySet<string> = new Set(["first", "last", "count", "products"]);
const SECONDARY_CLASS = "hidden md:table-cell";

export function CatalogExplorer({
  rows,
  regions,
  exportPanel,
}: {
  rows: readonly CatalogRow[];
  regions: readonly RegionOption[];
  /** When given, an export panel for the chosen regions' full allowlist is shown under the table. */
  exportPanel?: { readonly provider: string; readonly catalogLabel: string; readonly catalogVersion: number };
}) {
  const codes = useMemo(() => regions.map((r) => r.code), [regions]);
  const [regionParam, setRegionParam] = useUrlParam("regions");
  const [queryParam, setQueryParam] = useUrlParam("q");
  const [query, setQuery] = useState(queryParam ?? "");
  const [sorting, setSorting] = useState<SortingState>([]);

  // Local state is the source of truth and the URL mirrors it: reading the choice back from the URL would lose a
  // click made before the router caught up with the previous one.
  const [choice] = useState(() => parseRegionList(regionParam, codes));
  const [selected, setSelected] = useState<string[]>(() => (choice.ok ? choice.regions : [...codes]));

  // The rows parsed once; search and the cover below read the parsed prefixes.
  const catalog = useMemo(() => buildCatalog(rows), [rows]);
  const shown = useMemo(() => {
    const matches = compileSearch(query);
    return catalog.parsed.filter((p) => selected.includes(p.entry.region) && matches(p));
  }, [catalog, selected, query]);
  const visible = useMemo(() => shown.map((p) => p.entry), [shown]);

  const table = useTable({
    features,
    columns,
    data: visible as CatalogRow[],
    state: { sorting },
    onSortingChange: setSorting,
  });
  const sortedRows = table.getRowModel().rows;
  const countsShown = regions.filter((r) => selected.includes(r.code));
  // The minimal CIDR cover of what is shown: fewer firewall entries for the same addresses (e.g. 8 × /32 → one /29).
  const cover = useMemo(() => aggregate(shown.map((p) => p.prefix)).map(formatPrefix), [shown]);

  return (
    <section aria-labelledby="catalog-table-title" className="space-y-4">
      <div className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800 md:flex-row md:items-center md:justify-between">
        <RegionPicker
          regions={regions}
          selected={selected}
          onChange={(next) => {
            setSelected(next);
            setRegionParam(next.length === 0 ? "" : formatRegionList(next, codes));
          }}
        />
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="catalog-search" className="sr-only">
            Search by IP, CIDR, range, region or product
          </label>
          <input
            id="catalog-search"
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setQueryParam(e.target.value === "" ? undefined : e.target.value);
            }}
            placeholder="Search: 44.206.73.235, 3.74.148.0/24, EU…"
            className="w-full min-w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900 md:w-80"
          />
          <CopyButton
            text={() => sortedRows.map((r) => `${r.original.cidr}\n`).join("")}
            label={`Copy ${sortedRows.length} visible`}
            disabled={sortedRows.length === 0}
          />
          <CopyButton
            text={() => cover.map((c) => `${c}\n`).join("")}
            label={`Copy as ${cover.length} CIDRs`}
            ariaLabel={`Copy the visible entries aggregated to ${cover.length} CIDRs`}
            disabled={cover.length === 0}
          />
        </div>
      </div>

      {!choice.ok ? (
        <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
          Unknown region in the link: {choice.unknown.join(", ")}. Showing all regions.
        </p>
      ) : null}

      <h2 id="catalog-table-title" className="sr-only">
        Published NAT IPs
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="catalog-summary">
        Showing <strong className="tabular-nums">{sortedRows.length}</strong> of{" "}
        <span className="tabular-nums">{rows.length}</span> entries
        {countsShown.length > 0 ? ` · ${countsShown.map((r) => `${r.code} ${r.count}`).join(" · ")}` : ""}
      </p>

      {sortedRows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
          <p className="font-medium">{selected.length === 0 ? "No region selected" : "Nothing matches"}</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {selected.length === 0
              ? "Pick at least one region to see its NAT IPs."
              : `No published entry in ${selected.join(", ")} matches “${query}”.`}
          </p>
        </div>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm md:min-w-[720px]" data-testid="catalog-table">
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
              {sortedRows.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-900/60" data-cidr={row.original.cidr}>
                  {row.getAllCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={`whitespace-nowrap px-3 py-1.5 ${SECONDARY_COLUMNS.has(cell.column.id) ? SECONDARY_CLASS : ""}`}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {exportPanel ? (
        <ExportPanel published={rows} regions={selected} {...exportPanel} title="Export the allowlist" />
      ) : null}
    </section>
  );
}
