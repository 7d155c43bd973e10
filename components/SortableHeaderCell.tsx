import type { ReactNode } from "react";

/**
 * A table header cell that sorts on click (a real button, so Tab and Enter work) and tells screen readers the
 * current order through aria-sort. Takes the column's state rather than a table header so it serves every table.
 */
export function SortableHeaderCell({
  sorted,
  canSort,
  onToggle,
  children,
  className = "",
}: {
  className?: string;
  sorted: false | "asc" | "desc";
  canSort: boolean;
  onToggle: ((event: unknown) => void) | undefined;
  children: ReactNode;
}) {
  return (
    <th
      scope="col"
      className={`px-3 py-2 font-semibold ${className}`}
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : canSort ? "none" : undefined}
    >
      {canSort ? (
        <button
          type="button"
          onClick={onToggle}
          className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-900 dark:hover:text-white"
        >
          {children}
          <span aria-hidden="true" className="w-3">
            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
          </span>
        </button>
      ) : (
        children
      )}
    </th>
  );
}
