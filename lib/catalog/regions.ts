/**
 * Region selection as it travels in URLs, the API and the CLI: a comma list of region codes, any case, or "all".
 * Unknown codes are reported rather than ignored, so a typo never silently narrows a check.
 */
export type RegionSelection = { ok: true; regions: string[] } | { ok: false; unknown: string[] };

export function parseRegionList(text: string | null | undefined, known: readonly string[]): RegionSelection {
  if (text === null || text === undefined || text.trim().toLowerCase() === "all")
    return { ok: true, regions: [...known] };
  const wanted = text
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== "");
  const unknown = wanted.filter((code) => !known.includes(code));
  if (unknown.length > 0) return { ok: false, unknown };
  // Catalog order, not typing order, so the same choice always reads the same.
  return { ok: true, regions: known.filter((code) => wanted.includes(code)) };
}

/** The URL form of a choice: absent when everything is chosen. */
export function formatRegionList(regions: readonly string[], known: readonly string[]): string | undefined {
  if (regions.length === known.length && known.every((k) => regions.includes(k))) return undefined;
  return regions.map((r) => r.toLowerCase()).join(",");
}
