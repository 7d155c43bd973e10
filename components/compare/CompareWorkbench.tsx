"use client";

import type { CompareWorkbenchProps } from "./types";

export type { CompareCatalog, CompareState, CompareWorkbenchProps, ExportRequest } from "./types";

// Placeholder while the workbench is written: the props above are final.
export function CompareWorkbench(_props: CompareWorkbenchProps) {
  return <p className="text-sm text-slate-500">The compare workbench is loading…</p>;
}
