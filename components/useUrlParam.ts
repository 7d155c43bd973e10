"use client";

import { useSearchParams } from "next/navigation";
import { useCallback } from "react";

/**
 * Reads and writes one query parameter without a server round trip. Next's router keeps useSearchParams in sync
 * with history.replaceState, so the value survives reloads and can be shared as a link.
 */
export function useUrlParam(name: string): [string | null, (value: string | undefined) => void] {
  const params = useSearchParams();
  const value = params.get(name);
  const set = useCallback(
    (next: string | undefined) => {
      const url = new URL(window.location.href);
      if (next === undefined) url.searchParams.delete(name);
      else url.searchParams.set(name, next);
      window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
    },
    [name],
  );
  return [value, set];
}
