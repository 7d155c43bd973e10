"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  createWebhookAction,
  deleteWebhookAction,
  sendTestAction,
  type NotificationActionResult,
} from "@/app/notifications/actions";
import { CopyButton } from "@/components/CopyButton";
import { buttonClass, inputClass } from "@/components/firewalls/styles";
import { formatTime } from "@/components/firewalls/time";
import type { deliveryJson, webhookJson } from "@/lib/api/webhooks";

type Webhook = ReturnType<typeof webhookJson>;
type Delivery = ReturnType<typeof deliveryJson>;

export function NotificationsScreen({
  webhooks,
  deliveries,
  mail,
  regions,
}: {
  webhooks: readonly Webhook[];
  deliveries: readonly Delivery[];
  mail: string | null;
  regions: readonly string[];
}) {
  const router = useRouter();
  const [result, setResult] = useState<NotificationActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const act = (work: () => Promise<NotificationActionResult>) =>
    startTransition(async () => {
      setResult(await work());
      router.refresh();
    });

  return (
    <div className="space-y-8">
      <div aria-live="polite">
        {result ? (
          <div
            role={result.ok ? "status" : "alert"}
            className={`rounded-md border p-3 text-sm ${result.ok ? "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40" : "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200"}`}
          >
            {result.message}
            {result.ok && result.secret ? (
              <p className="mt-1">
                Signing secret (shown once): <code className="break-all">{result.secret}</code>{" "}
                <CopyButton
                  text={() => result.secret ?? ""}
                  label="Copy"
                  ariaLabel="Copy the signing secret"
                  className="text-xs"
                />
              </p>
            ) : null}
          </div>
        ) : null}
      </div>

      <section aria-labelledby="webhooks-title" className="space-y-3">
        <h2 id="webhooks-title" className="text-lg font-semibold">
          Webhooks
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          A JSON POST when a new catalog version changes a region the webhook follows, or the status of a saved firewall
          in it. Signed: <code>X-Allowlist-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body)</code> with{" "}
          <code>X-Allowlist-Timestamp</code>; retried with backoff.
        </p>
        <ul className="space-y-2">
          {webhooks.map((w) => (
            <li
              key={w.id}
              className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800"
              data-testid="webhook"
            >
              <code className="break-all">{w.url}</code>
              <span className="text-xs text-slate-600 dark:text-slate-400">
                {w.regions.length === 0 ? "all regions" : w.regions.join(", ")} · secret {w.secretHint}
              </span>
              <button
                type="button"
                className={buttonClass.secondary}
                disabled={pending}
                onClick={() => act(() => sendTestAction({ webhookId: w.id }))}
              >
                Send test
              </button>
              <button
                type="button"
                className={buttonClass.danger}
                disabled={pending}
                onClick={() => act(() => deleteWebhookAction(w.id))}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
        <form
          className="flex flex-wrap items-end gap-3"
          action={(form) =>
            act(() =>
              createWebhookAction({ url: String(form.get("url") ?? ""), regions: form.getAll("regions").map(String) }),
            )
          }
        >
          <div className="min-w-80 grow">
            <label htmlFor="webhook-url" className="block text-sm font-medium">
              Webhook URL
            </label>
            <input
              id="webhook-url"
              name="url"
              type="url"
              required
              className={`${inputClass} mt-1`}
              placeholder="https://hooks.example.com/allowlist"
            />
          </div>
          <fieldset className="flex gap-3 text-sm">
            <legend className="sr-only">Regions followed (none: all)</legend>
            {regions.map((r) => (
              <label key={r} className="flex items-center gap-1">
                <input type="checkbox" name="regions" value={r} /> {r}
              </label>
            ))}
          </fieldset>
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            Add webhook
          </button>
        </form>
      </section>

      <section aria-labelledby="mail-title" className="space-y-2">
        <h2 id="mail-title" className="text-lg font-semibold">
          E-mail
        </h2>
        {mail ? (
          <p className="text-sm">
            {mail}{" "}
            <button
              type="button"
              className={`${buttonClass.secondary} ml-2`}
              disabled={pending}
              onClick={() => act(() => sendTestAction({ email: true }))}
            >
              Send test e-mail
            </button>
          </p>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Not configured. Set <code>ALLOWLIST_SMTP_URL</code> (smtp://user:password@host:587),{" "}
            <code>ALLOWLIST_MAIL_FROM</code> and <code>ALLOWLIST_MAIL_TO</code> and restart.
          </p>
        )}
      </section>

      <section aria-labelledby="log-title" className="space-y-2">
        <h2 id="log-title" className="text-lg font-semibold">
          Delivery log
        </h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>
        ) : null}
        {deliveries.length > 0 ? (
          <table className="w-full text-left text-sm" data-testid="delivery-log">
            <thead>
              <tr className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
                <th scope="col" className="py-2 pr-3">
                  When
                </th>
                <th scope="col" className="py-2 pr-3">
                  Channel
                </th>
                <th scope="col" className="py-2 pr-3">
                  To
                </th>
                <th scope="col" className="py-2 pr-3">
                  Event
                </th>
                <th scope="col" className="py-2 pr-3">
                  Result
                </th>
                <th scope="col" className="py-2">
                  Attempts
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} className="border-b border-slate-100 align-top dark:border-slate-900">
                  <td className="py-2 pr-3 whitespace-nowrap">{formatTime(d.createdAt)}</td>
                  <td className="py-2 pr-3">{d.channel}</td>
                  <td className="py-2 pr-3 break-all">{d.target}</td>
                  <td className="py-2 pr-3">{d.event}</td>
                  <td
                    className={`py-2 pr-3 font-medium ${d.status === "failed" ? "text-red-700 dark:text-red-300" : ""}`}
                  >
                    {d.status}
                    {d.responseCode !== null ? ` (${d.responseCode})` : ""}
                  </td>
                  <td className="py-2 text-xs">
                    {d.log.map((a, i) => (
                      <div key={i}>
                        {formatTime(a.at)}: {a.code ?? a.error} · {a.ms} ms
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
