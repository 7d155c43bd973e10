import { catalogChanges, type CatalogChanges } from "../catalog/changes";
import { catalogChecksum } from "../catalog/checksum";
import { documentText } from "../catalog/document-text";
import { DEFAULT_FETCH_LIMITS, fetchDocument, type FetchLimits } from "../catalog/fetch-document";
import { parseSeedDocument } from "../catalog/seed-document";
import type { PublishedEntry } from "../catalog/types";
import { getCurrentCatalog, importCatalogVersion, type CatalogVersionInfo } from "./catalog";
import type { Db } from "./client";

/** Where a new catalog document comes from: pasted or uploaded text (HTML or plain), or a URL fetched here. */
export type CatalogDocument =
  | { readonly kind: "text"; readonly text: string; readonly contentType?: string; readonly name?: string }
  | { readonly kind: "url"; readonly url: string };

export interface ImportPreview {
  /** Where the document came from, as the version will record it. */
  readonly source: string;
  /** The version the change is measured against (the newest when the preview was made). */
  readonly base: { readonly version: number; readonly checksum: string };
  readonly checksum: string;
  readonly entryCount: number;
  /** "changed": confirming creates the next version; "unchanged": same as the newest; "matches-older": same as an older one. */
  readonly status: "changed" | "unchanged" | "matches-older";
  readonly matchesVersion?: number;
  readonly changes: CatalogChanges;
}

export type PreviewOutcome =
  | { readonly ok: true; readonly preview: ImportPreview; readonly entries: readonly PublishedEntry[] }
  /** "fetch": the URL could not be read (502 to an API caller); "parse": the document is not a catalog (400). */
  | { readonly ok: false; readonly reason: "fetch" | "parse"; readonly message: string; readonly line?: number };

export type ConfirmOutcome =
  | { readonly ok: true; readonly created: true; readonly version: CatalogVersionInfo; readonly preview: ImportPreview }
  | {
      readonly ok: true;
      readonly created: false;
      readonly version: CatalogVersionInfo;
      readonly preview: ImportPreview;
    }
  | Extract<PreviewOutcome, { ok: false }>
  /** The newest version or the document changed between preview and confirm: preview again. */
  | { readonly ok: false; readonly reason: "stale"; readonly message: string };

/** Pasted or uploaded documents larger than this are refused; a saved catalog page is well under 1 MB. */
export const MAX_DOCUMENT_BYTES = DEFAULT_FETCH_LIMITS.maxBytes;

function sourceOf(doc: CatalogDocument): string {
  if (doc.kind === "url") return doc.url;
  const name = doc.name?.trim();
  return name ? `upload: ${name}` : "pasted text";
}

/** Reads, parses and compares a document with the newest version. Writes nothing. */
export async function previewCatalogImport(
  db: Db,
  doc: CatalogDocument,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<PreviewOutcome> {
  let text: string;
  let source = sourceOf(doc);
  if (doc.kind === "url") {
    const fetched = await fetchDocument(doc.url, limits);
    if (!fetched.ok) return { ok: false, reason: "fetch", message: fetched.message };
    text = documentText(fetched.body, fetched.contentType);
    source = fetched.url;
  } else {
    text = documentText(doc.text, doc.contentType);
  }
  const parsed = parseSeedDocument(text);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: "parse",
      message: `Line ${parsed.error.line} of the document's text: ${parsed.error.message}.`,
      line: parsed.error.line,
    };
  }
  const entries = parsed.value.entries;
  const current = await getCurrentCatalog(db);
  const checksum = await catalogChecksum(entries);
  const changes = catalogChanges(
    current.entries,
    entries,
    current.regions.map((r) => r.code),
  );
  const same =
    checksum === current.version.checksum
      ? null
      : await db.catalogVersion.findFirst({ where: { checksum }, select: { version: true } });
  const status = checksum === current.version.checksum ? "unchanged" : same !== null ? "matches-older" : "changed";
  return {
    ok: true,
    entries,
    preview: {
      source,
      base: { version: current.version.version, checksum: current.version.checksum },
      checksum,
      entryCount: entries.length,
      status,
      ...(same !== null ? { matchesVersion: same.version } : {}),
      changes,
    },
  };
}

/**
 * Creates the next version from `doc`, only if the preview the user saw still holds: the newest version is still
 * `expected.baseVersion` and the document still has checksum `expected.checksum` (a URL is fetched again). An
 * identical list creates nothing.
 */
export async function confirmCatalogImport(
  db: Db,
  doc: CatalogDocument,
  expected: { readonly baseVersion: number; readonly checksum: string },
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<ConfirmOutcome> {
  const outcome = await previewCatalogImport(db, doc, limits);
  if (!outcome.ok) return outcome;
  const { preview, entries } = outcome;
  if (preview.base.version !== expected.baseVersion) {
    return {
      ok: false,
      reason: "stale",
      message: `Version ${preview.base.version} is now the newest, not ${expected.baseVersion}: preview the document again.`,
    };
  }
  if (preview.checksum !== expected.checksum) {
    return {
      ok: false,
      reason: "stale",
      message: "The document is not the one previewed (its list changed): preview it again.",
    };
  }
  const note = `+${preview.changes.added} −${preview.changes.removed}`;
  const result = await importCatalogVersion(db, {
    source: preview.source,
    entries,
    note,
    expectedLatest: expected.baseVersion,
  });
  if (!result.created && result.reason === "stale") {
    return {
      ok: false,
      reason: "stale",
      message: `Version ${result.version.version} is now the newest, not ${expected.baseVersion}: preview the document again.`,
    };
  }
  if (!result.created) return { ok: true, created: false, version: result.version, preview };
  return { ok: true, created: true, version: result.version, preview };
}
