"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  createFeedAction,
  deleteFeedAction,
  revokeFeedAction,
  rotateFeedAction,
  type FeedActionResult,
} from "@/app/feeds/actions";
import { CopyButton } from "@/components/CopyButton";
import { buttonClass, inputClass } from "@/components/firewalls/styles";
import { formatTime } from "@/components/firewalls/time";
import type { feedJson } from "@/lib/api/feeds";
import { FEED_FORMATS } from "@/lib/feeds/render";
import { FeedSnippets } from "./FeedSnippets";

type Feed = ReturnType<typeof feedJson>;

const STATE_TEXT: Record<Feed["pollState"], string> = {
  ok: "Polling",
  waiting: "Not polled yet",
  never: "Never polled",
  stopped: "Stopped polling",
  revoked: "Revoked",
};

function UrlRow({ label, url }: { label: string; url: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <span className="w-28 shrink-0 text-slate-600 dark:text-slate-400">{label}</span>
      <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-900">{url}</code>
      <CopyButton text={() => url} label="Copy" ariaLabel={`Copy ${label}`} className="text-xs" />
    </div>
  );
}

export function FeedsScreen({
  feeds,
  regions,
  firewalls,
}: {
  feeds: readonly Feed[];
  regions: readonly { code: string; name: string }[];
  firewalls: readonly { id: number; name: string }[];
}) {
  const router = useRouter();
  const [fresh, setFresh] = useState<Feed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<"selection" | "firewall">("selection");
  const [pending, startTransition] = useTransition();

  function handle(out: FeedActionResult) {
    if (!out.ok) {
      setError(
        out.errors
          ? `${out.message} ${Object.entries(out.errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join("; ")}`
          : out.message,
      );
      return;
    }
    setError(null);
    if (out.feed?.token) setFresh(out.feed);
    router.refresh();
  }

  function submit(form: FormData) {
    const input = {
      name: String(form.get("name") ?? ""),
      kind,
      regions: form.getAll("regions").map(String),
      family: String(form.get("family") ?? "both"),
      aggregate: form.get("aggregate") === "on",
      format: String(form.get("format") ?? "plain"),
      pollMinutes: Number(form.get("pollMinutes") ?? 60),
      ...(kind === "firewall" ? { firewallId: Number(form.get("firewallId")) } : {}),
    };
    startTransition(async () => handle(await createFeedAction(input)));
  }

  return (
    <div className="space-y-8">
      {fresh && fresh.token ? (
        <section
          aria-labelledby="fresh-title"
          className="space-y-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40"
          data-testid="fresh-feed"
        >
          <h2 id="fresh-title" className="text-base font-semibold">
            Feed “{fresh.name}” — copy its token now: it is not shown again
          </h2>
          <UrlRow label="Token" url={fresh.token} />
          <UrlRow label="URL with token" url={fresh.urls.tokenUrl ?? ""} />
          <UrlRow label="URL (Basic auth)" url={fresh.urls.basicUrl} />
          <FeedSnippets
            name={fresh.name}
            format={fresh.format}
            tokenUrl={fresh.urls.tokenUrl ?? ""}
            basicUrl={fresh.urls.basicUrl}
            token={fresh.token}
            pollMinutes={fresh.pollMinutes}
          />
        </section>
      ) : null}

      {error ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200"
        >
          {error}
        </p>
      ) : null}

      <section aria-labelledby="feeds-title" className="space-y-3">
        <h2 id="feeds-title" className="text-lg font-semibold">
          Feeds
        </h2>
        {feeds.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No feeds yet.</p> : null}
        <ul className="space-y-4">
          {feeds.map((f) => (
            <li key={f.id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-testid="feed">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-medium">
                  {f.name}{" "}
                  <span className="text-xs font-normal text-slate-600 dark:text-slate-400">
                    {f.kind === "firewall"
                      ? `firewall #${f.firewallId}`
                      : f.regions.length === 0
                        ? "all regions"
                        : f.regions.join(", ")}{" "}
                    · {f.format} · IPv{f.family === "both" ? "4+6" : f.family}
                    {f.aggregate ? " · aggregated" : ""} · token {f.tokenHint}
                  </span>
                </h3>
                <span
                  data-testid="poll-state"
                  className={`rounded-full border px-2 py-0.5 text-xs font-medium ${f.pollState === "ok" ? "border-emerald-300 text-emerald-800 dark:text-emerald-300" : f.pollState === "waiting" ? "border-slate-300" : "border-amber-400 text-amber-900 dark:text-amber-300"}`}
                >
                  {f.pollState === "stopped" || f.pollState === "never" ? "⚠ " : ""}
                  {STATE_TEXT[f.pollState]}
                </span>
              </div>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="last-poll">
                {f.lastPoll
                  ? `Last polled ${formatTime(f.lastPoll.at)} by ${f.lastPoll.userAgent ?? "an unnamed client"} from ${f.lastPoll.address ?? "an unknown address"} · ${f.pollCount} polls · expected every ${f.pollMinutes} min`
                  : `Never polled · expected every ${f.pollMinutes} min`}
              </p>
              <div className="mt-2 space-y-1">
                <UrlRow label="URL (Basic auth)" url={f.urls.basicUrl} />
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  The token goes as the password (any user name), or in the path instead of the number:
                  /feeds/&lt;token&gt;.
                </p>
              </div>
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer">Configuration snippets</summary>
                <div className="mt-2">
                  <FeedSnippets
                    name={f.name}
                    format={f.format}
                    tokenUrl={f.urls.basicUrl.replace(/\/feeds\/\d+$/, "/feeds/<token>")}
                    basicUrl={f.urls.basicUrl}
                    token="<token>"
                    pollMinutes={f.pollMinutes}
                  />
                </div>
              </details>
              <div className="mt-3 flex flex-wrap gap-2">
                <button
                  type="button"
                  className={buttonClass.secondary}
                  disabled={pending}
                  onClick={() => startTransition(async () => handle(await rotateFeedAction(f.id)))}
                >
                  {f.revoked ? "Issue a new token" : "Rotate token"}
                </button>
                {!f.revoked ? (
                  <button
                    type="button"
                    className={buttonClass.secondary}
                    disabled={pending}
                    onClick={() => startTransition(async () => handle(await revokeFeedAction(f.id)))}
                  >
                    Revoke
                  </button>
                ) : null}
                <button
                  type="button"
                  className={buttonClass.danger}
                  disabled={pending}
                  onClick={() => startTransition(async () => handle(await deleteFeedAction(f.id)))}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="new-feed-title" className="space-y-3">
        <h2 id="new-feed-title" className="text-lg font-semibold">
          New feed
        </h2>
        <form action={submit} className="grid max-w-2xl gap-3">
          <div>
            <label htmlFor="feed-name" className="block text-sm font-medium">
              Name
            </label>
            <input
              id="feed-name"
              name="name"
              required
              maxLength={100}
              className={`${inputClass} mt-1`}
              placeholder="pa-edge US EDL"
            />
          </div>
          <fieldset>
            <legend className="text-sm font-medium">Serves</legend>
            <div className="mt-1 flex gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="kind" checked={kind === "selection"} onChange={() => setKind("selection")} />{" "}
                A selection of regions
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="kind"
                  checked={kind === "firewall"}
                  onChange={() => setKind("firewall")}
                  disabled={firewalls.length === 0}
                />{" "}
                A saved firewall&apos;s regions
              </label>
            </div>
          </fieldset>
          {kind === "selection" ? (
            <fieldset>
              <legend className="text-sm font-medium">Regions (none checked: all)</legend>
              <div className="mt-1 flex flex-wrap gap-4 text-sm">
                {regions.map((r) => (
                  <label key={r.code} className="flex items-center gap-2">
                    <input type="checkbox" name="regions" value={r.code} /> {r.code}{" "}
                    <span className="text-slate-500 dark:text-slate-400">{r.name}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : (
            <div>
              <label htmlFor="feed-firewall" className="block text-sm font-medium">
                Firewall
              </label>
              <select id="feed-firewall" name="firewallId" className={`${inputClass} mt-1`}>
                {firewalls.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
            <div>
              <label htmlFor="feed-format" className="block text-sm font-medium">
                Format
              </label>
              <select id="feed-format" name="format" className={`${inputClass} mt-1`}>
                {FEED_FORMATS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="feed-family" className="block text-sm font-medium">
                Families
              </label>
              <select id="feed-family" name="family" className={`${inputClass} mt-1`} defaultValue="both">
                <option value="both">IPv4 and IPv6</option>
                <option value="4">IPv4 only</option>
                <option value="6">IPv6 only</option>
              </select>
            </div>
            <div>
              <label htmlFor="feed-interval" className="block text-sm font-medium">
                Expected poll interval (minutes)
              </label>
              <input
                id="feed-interval"
                name="pollMinutes"
                type="number"
                min={1}
                max={10080}
                defaultValue={60}
                className={`${inputClass} mt-1`}
              />
            </div>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="aggregate" defaultChecked /> Aggregate into the fewest CIDRs
          </label>
          <div>
            <button type="submit" className={buttonClass.primary} disabled={pending}>
              Create feed
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
