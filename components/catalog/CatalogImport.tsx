"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { importCatalogAction } from "@/app/catalog/import/actions";
import type { ImportOutcome } from "@/lib/api/catalog";
import type { ImportRequest } from "@/lib/catalog/import-schema";
import { buttonClass, inputClass } from "@/components/firewalls/styles";
import { ChangeTable } from "./ChangeTable";

type Source = "paste" | "upload" | "url";

/** "Update catalog": read a document (paste, saved page, URL), show the change per region, then create the version. */
export function CatalogImport({ currentVersion, defaultUrl }: { currentVersion: number; defaultUrl: string }) {
  const [source, setSource] = useState<Source>("paste");
  const [text, setText] = useState("");
  const [file, setFile] = useState<{ name: string; type: string; text: string } | null>(null);
  const [url, setUrl] = useState(defaultUrl);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [request, setRequest] = useState<ImportRequest | null>(null);
  const [pending, startTransition] = useTransition();

  function documentRequest(): ImportRequest | null {
    if (source === "paste") return text.trim() === "" ? null : { text };
    if (source === "upload")
      return file === null
        ? null
        : { text: file.text, name: file.name, ...(file.type ? { contentType: file.type } : {}) };
    return url.trim() === "" ? null : { url: url.trim() };
  }

  function preview() {
    const req = documentRequest();
    if (req === null) {
      setOutcome({
        kind: "error",
        status: 400,
        message:
          source === "upload"
            ? "Choose a file first."
            : source === "url"
              ? "Enter a URL first."
              : "Paste the page's text first.",
      });
      return;
    }
    setRequest(req);
    startTransition(async () => setOutcome(await importCatalogAction(req)));
  }

  function confirm() {
    if (outcome?.kind !== "preview" || request === null) return;
    const req = { ...request, confirm: outcome.preview.confirm };
    startTransition(async () => setOutcome(await importCatalogAction(req)));
  }

  const tabs: { id: Source; label: string }[] = [
    { id: "paste", label: "Paste text" },
    { id: "upload", label: "Upload saved page" },
    { id: "url", label: "Fetch URL" },
  ];

  return (
    <div className="space-y-5">
      <fieldset>
        <legend className="text-sm font-medium">Read the new list from</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {tabs.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="import-source"
                value={t.id}
                checked={source === t.id}
                onChange={() => {
                  setSource(t.id);
                  setOutcome(null);
                }}
              />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>

      {source === "paste" ? (
        <div>
          <label htmlFor="import-text" className="block text-sm font-medium">
            The page&apos;s text (select all on the vendor&apos;s page, copy, paste here)
          </label>
          <textarea
            id="import-text"
            rows={12}
            className={`${inputClass} mt-1 font-mono`}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      ) : source === "upload" ? (
        <div>
          <label htmlFor="import-file" className="block text-sm font-medium">
            The page saved from your browser (HTML or text)
          </label>
          <input
            id="import-file"
            type="file"
            accept=".html,.htm,.txt,text/html,text/plain"
            className="mt-1 block text-sm"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              setFile(f ? { name: f.name, type: f.type, text: await f.text() } : null);
            }}
          />
        </div>
      ) : (
        <div>
          <label htmlFor="import-url" className="block text-sm font-medium">
            URL of the vendor&apos;s page (fetched by the server: http or https, 15 s, 5 MB, 5 redirects)
          </label>
          <input
            id="import-url"
            type="url"
            className={`${inputClass} mt-1`}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://…"
          />
        </div>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonClass.secondary} onClick={preview} disabled={pending}>
          {pending && outcome?.kind !== "preview" ? "Reading…" : "Preview changes"}
        </button>
      </div>

      <div aria-live="polite" data-testid="import-result">
        {outcome === null ? null : outcome.kind === "error" ? (
          <p
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200"
          >
            {outcome.message}
          </p>
        ) : outcome.kind === "preview" ? (
          <section aria-labelledby="preview-title" className="space-y-3">
            <h2 id="preview-title" className="text-lg font-semibold">
              {outcome.preview.status === "changed"
                ? `Changes from version ${outcome.preview.base.version}: ${outcome.preview.changes.added} added, ${outcome.preview.changes.removed} removed, ${outcome.preview.changes.unchanged} unchanged`
                : outcome.preview.status === "unchanged"
                  ? `No change: the list is the same as version ${outcome.preview.base.version}`
                  : `No change to import: the list is the same as version ${outcome.preview.matchesVersion ?? "?"}`}
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Source: {outcome.preview.source} · {outcome.preview.entryCount} entries · sha256{" "}
              {outcome.preview.checksum.slice(0, 12)}…
            </p>
            {outcome.preview.status === "changed" ? (
              <>
                <ChangeTable changes={outcome.preview.changes} caption="Changes per region" />
                <button type="button" className={buttonClass.primary} onClick={confirm} disabled={pending}>
                  {pending ? "Creating…" : `Create version ${outcome.preview.base.version + 1}`}
                </button>
              </>
            ) : null}
          </section>
        ) : outcome.kind === "created" ? (
          <p
            role="status"
            className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
          >
            Version {outcome.version.version} created.{" "}
            <Link href="/catalog/changes" className="font-medium underline">
              See the changelog
            </Link>{" "}
            or{" "}
            <Link href="/" className="font-medium underline">
              the firewalls it affects
            </Link>
            .
          </p>
        ) : (
          <p role="status" className="text-sm">
            No change: version {outcome.version.version} already has this list.
          </p>
        )}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Version {currentVersion} is in use now. Versions are never changed once created.
      </p>
    </div>
  );
}
