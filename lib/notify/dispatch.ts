import { randomUUID } from "node:crypto";
import { catalogChanges, formatChanges, type CatalogChanges } from "../catalog/changes";
import { getCatalogVersion } from "../db/catalog";
import type { Db } from "../db/client";
import { listFirewallAlignments } from "../db/firewall-alignment";
import { activeWebhookTargets, finishDelivery, startDelivery } from "../db/notification";
import { readMailConfig, sendMail } from "./email";
import { DEFAULT_RETRY, sendWebhook, type RetryPolicy } from "./webhook";

export interface NotifyOptions {
  readonly retry?: RetryPolicy;
  readonly env?: Record<string, string | undefined>;
}

export interface CatalogChangeEvent {
  readonly event: "catalog.version";
  readonly id: string;
  readonly createdAt: string;
  readonly provider: string;
  readonly from: number;
  readonly to: number;
  readonly changes: CatalogChanges;
  /** Saved firewalls whose status against the newest version differs from their status against the previous one. */
  readonly firewalls: readonly {
    readonly id: number;
    readonly name: string;
    readonly regions: readonly string[];
    readonly before: string;
    readonly after: string;
  }[];
}

/** The event for a version change: what changed, and which firewalls' statuses moved. */
export async function catalogChangeEvent(
  db: Db,
  change: { readonly from: number; readonly to: number },
): Promise<CatalogChangeEvent | null> {
  const [before, after] = await Promise.all([getCatalogVersion(db, change.from), getCatalogVersion(db, change.to)]);
  if (before === null || after === null) return null;
  const [was, is] = await Promise.all([listFirewallAlignments(db, before), listFirewallAlignments(db, after)]);
  const wasLabel = new Map(was.map((f) => [f.id, f.alignment.label]));
  return {
    event: "catalog.version",
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    provider: after.provider.name,
    from: change.from,
    to: change.to,
    changes: catalogChanges(
      before.entries,
      after.entries,
      after.regions.map((r) => r.code),
    ),
    firewalls: is
      .filter((f) => wasLabel.get(f.id) !== f.alignment.label)
      .map((f) => ({
        id: f.id,
        name: f.name,
        regions: f.regions,
        before: wasLabel.get(f.id) ?? "not saved yet",
        after: f.alignment.label,
      })),
  };
}

/** The event as one webhook sees it: only the regions it follows (all when it follows none in particular). */
function forRegions(event: CatalogChangeEvent, regions: readonly string[]): CatalogChangeEvent | null {
  if (regions.length === 0) return event;
  const changed = event.changes.regions.filter(
    (r) => regions.includes(r.region) && (r.added.length > 0 || r.removed.length > 0),
  );
  const firewalls = event.firewalls.filter((f) => f.regions.length === 0 || f.regions.some((r) => regions.includes(r)));
  if (changed.length === 0 && firewalls.length === 0) return null;
  const kept = event.changes.regions.filter((r) => regions.includes(r.region));
  return {
    ...event,
    firewalls,
    changes: {
      ...event.changes,
      regions: kept,
      added: kept.reduce((n, r) => n + r.added.length, 0),
      removed: kept.reduce((n, r) => n + r.removed.length, 0),
      unchanged: kept.reduce((n, r) => n + r.unchanged, 0),
      warnings: event.changes.warnings.filter((w) => regions.includes(w.region)),
    },
  };
}

export function emailText(event: CatalogChangeEvent): string {
  const lines = [
    `${event.provider} published a new list: catalog version ${event.to} replaces version ${event.from}.`,
    "",
    ...formatChanges(event.changes),
  ];
  if (event.firewalls.length > 0) {
    lines.push("", "Saved firewalls whose status changed:");
    for (const f of event.firewalls) lines.push(`  ${f.name}: ${f.after} (was: ${f.before})`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Sends the catalog.version event to every active webhook that follows a changed region, and by e-mail when SMTP is
 * configured; each delivery is logged with its attempts. Resolves when all deliveries have finished (retries
 * included): the server calls it without waiting, the CLI waits.
 */
export async function deliverCatalogChange(
  db: Db,
  change: { readonly from: number; readonly to: number },
  options: NotifyOptions = {},
): Promise<void> {
  const event = await catalogChangeEvent(db, change);
  if (event === null) return;
  const jobs: Promise<void>[] = [];
  for (const hook of await activeWebhookTargets(db)) {
    const scoped = forRegions(event, hook.regions);
    if (scoped === null) continue;
    const body = JSON.stringify(scoped);
    jobs.push(
      (async () => {
        const id = await startDelivery(db, {
          channel: "webhook",
          webhookId: hook.id,
          target: hook.url,
          event: event.event,
          payload: body,
        });
        const result = await sendWebhook(
          { url: hook.url, secret: hook.secret },
          { event: event.event, deliveryId: event.id },
          body,
          options.retry ?? DEFAULT_RETRY,
        );
        await finishDelivery(db, id, result);
      })(),
    );
  }
  const mail = readMailConfig(options.env ?? process.env);
  if (mail !== null) {
    const text = emailText(event);
    jobs.push(
      (async () => {
        const id = await startDelivery(db, {
          channel: "email",
          target: mail.to.join(", "),
          event: event.event,
          payload: text,
        });
        const started = Date.now();
        const sent = await sendMail(
          mail,
          `${event.provider} catalog version ${event.to}: ${event.changes.added} added, ${event.changes.removed} removed`,
          text,
        );
        const attempt = {
          at: new Date(started).toISOString(),
          ms: Date.now() - started,
          ...(sent.code !== undefined ? { code: sent.code } : {}),
          ...(sent.ok ? {} : { error: sent.error }),
        };
        await finishDelivery(db, id, {
          delivered: sent.ok,
          attempts: [attempt],
          ...(sent.code !== undefined ? { lastCode: sent.code } : {}),
        });
      })(),
    );
  }
  await Promise.all(jobs);
}

/**
 * Called after an import created a version. The web server does not hold the response for retries: deliveries
 * run on after it answers (errors are logged, never thrown into the request).
 */
export async function notifyCatalogChange(
  db: Db,
  change: { readonly from: number; readonly to: number },
  options: NotifyOptions & { readonly wait?: boolean } = {},
): Promise<void> {
  const run = deliverCatalogChange(db, change, options).catch((error: unknown) => {
    console.error("allowlist: notifications failed:", error);
  });
  if (options.wait) await run;
}

/** A signed "ping" to one webhook, or a test e-mail, logged like any delivery: how an admin checks the set-up. */
export async function sendTest(
  db: Db,
  target: { readonly webhookId: number } | { readonly email: true },
  options: NotifyOptions = {},
): Promise<"delivered" | "failed" | "not-configured"> {
  if ("webhookId" in target) {
    const hook = (await activeWebhookTargets(db)).find((h) => h.id === target.webhookId);
    if (!hook) return "not-configured";
    const body = JSON.stringify({ event: "ping", id: randomUUID(), createdAt: new Date().toISOString() });
    const id = await startDelivery(db, {
      channel: "webhook",
      webhookId: hook.id,
      target: hook.url,
      event: "ping",
      payload: body,
    });
    const result = await sendWebhook(
      { url: hook.url, secret: hook.secret },
      { event: "ping", deliveryId: String(id) },
      body,
      options.retry ?? { backoffMs: [], timeoutMs: 10_000 },
    );
    await finishDelivery(db, id, result);
    return result.delivered ? "delivered" : "failed";
  }
  const mail = readMailConfig(options.env ?? process.env);
  if (mail === null) return "not-configured";
  const text = "A test message from Allowlist Admin: e-mail notifications reach you.\n";
  const id = await startDelivery(db, { channel: "email", target: mail.to.join(", "), event: "ping", payload: text });
  const started = Date.now();
  const sent = await sendMail(mail, "Allowlist Admin: test notification", text);
  await finishDelivery(db, id, {
    delivered: sent.ok,
    attempts: [
      {
        at: new Date(started).toISOString(),
        ms: Date.now() - started,
        ...(sent.code !== undefined ? { code: sent.code } : {}),
        ...(sent.ok ? {} : { error: sent.error }),
      },
    ],
    ...(sent.code !== undefined ? { lastCode: sent.code } : {}),
  });
  return sent.ok ? "delivered" : "failed";
}
