"use client";

export interface RegionOption {
  readonly code: string;
  readonly name: string;
  readonly count: number;
}

/**
 * Multi-select of regions as a group of toggle checkboxes: every option is reachable with Tab and toggled with
 * Space, and screen readers hear the region's full name and its entry count.
 */
export function RegionPicker({
  regions,
  selected,
  onChange,
}: {
  regions: readonly RegionOption[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const all = selected.length === regions.length;
  return (
    <fieldset className="flex flex-wrap items-center gap-2">
      <legend className="sr-only">Regions</legend>
      <span aria-hidden="true" className="mr-1 text-sm font-medium text-slate-700 dark:text-slate-300">
        Regions
      </span>
      {regions.map((region) => {
        const checked = selected.includes(region.code);
        return (
          <label
            key={region.code}
            className={`inline-flex cursor-pointer select-none items-center gap-2 rounded-full border px-3 py-1 text-sm transition-colors ${
              checked
                ? "border-sky-600 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100"
                : "border-slate-300 text-slate-600 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-400 dark:hover:bg-slate-900"
            }`}
          >
            <input
              type="checkbox"
              className="h-3.5 w-3.5 accent-sky-600"
              checked={checked}
              aria-label={`${region.name} (${region.code}), ${region.count} entries`}
              onChange={() =>
                onChange(
                  checked
                    ? selected.filter((c) => c !== region.code)
                    : regions.map((r) => r.code).filter((c) => c === region.code || selected.includes(c)),
                )
              }
            />
            <span aria-hidden="true" className="font-semibold">
              {region.code}
            </span>
            <span aria-hidden="true" className="rounded-full bg-white/70 px-1.5 text-xs tabular-nums dark:bg-slate-800">
              {region.count}
            </span>
          </label>
        );
      })}
      <button
        type="button"
        onClick={() => onChange(all ? [] : regions.map((r) => r.code))}
        className="rounded-md px-2 py-1 text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
      >
        {all ? "Clear" : "All regions"}
      </button>
    </fieldset>
  );
}
