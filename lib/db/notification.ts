import type { Db } from "./client";

export interface WebhookView {
  readonly id: number;
  readonly url: string;
  readonly regions: readonly string[];
  readonly active: boolean;
  readonly createdAt: Date;
  /** The secret's first characters, for telling webhooks apart. */
  readonly secretHint: string;
}

export interface DeliveryView {
  readonly id: number;
  readonly channel: "webhook" | "email";
  readonly webhookId: number | null;
  readonly target: string;
  readonly event: string;
  readonly status: "pending" | "delivered" | "failed";
  readonly attempts: number;
  readonly responseCode: number | null;
  readonly log: readonly { at: string; code?: number; error?: string; ms: number }[];
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

function toWebhook(row: {
  id: number;
  url: string;
  regions: string;
  active: boolean;
  createdAt: Date;
  secret: string;
}): WebhookView {
  return {
    id: row.id,
    url: row.url,
    regions: row.regions === "" ? [] : row.regions.split(","),
    active: row.active,
    createdAt: row.createdAt,
    secretHint: `${row.secret.slice(0, 4)}…`,
  };
}

export async function createWebhook(
  db: Db,
  input: { url: string; secret: string; regions: readonly string[] },
): Promise<WebhookView> {
  return toWebhook(
    await db.webhook.create({ data: { url: input.url, secret: input.secret, regions: input.regions.join(",") } }),
  );
}

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  return (await db.webhook.findMany({ orderBy: { id: "asc" } })).map(toWebhook);
}

/** Active webhooks with their secrets, for signing. Server side only. */
export async function activeWebhookTargets(db: Db) {
  return (await db.webhook.findMany({ where: { active: true }, orderBy: { id: "asc" } })).map((w) => ({
    ...toWebhook(w),
    secret: w.secret,
  }));
}

export async function deleteWebhook(db: Db, id: number): Promise<boolean> {
  return (await db.webhook.deleteMany({ where: { id } })).count > 0;
}

export async function startDelivery(
  db: Db,
  input: { channel: "webhook" | "email"; webhookId?: number; target: string; event: string; payload: string },
): Promise<number> {
  const row = await db.notificationDelivery.create({
    data: { ...input, webhookId: input.webhookId ?? null, status: "pending" },
  });
  return row.id;
}

export async function finishDelivery(
  db: Db,
  id: number,
  result: {
    delivered: boolean;
    attempts: readonly { at: string; code?: number; error?: string; ms: number }[];
    lastCode?: number;
  },
): Promise<void> {
  await db.notificationDelivery.update({
    where: { id },
    data: {
      status: result.delivered ? "delivered" : "failed",
      attempts: result.attempts.length,
      responseCode: result.lastCode ?? null,
      log: JSON.stringify(result.attempts),
      finishedAt: new Date(),
    },
  });
}

export async function listDeliveries(
  db: Db,
  options: { limit?: number; status?: "failed" } = {},
): Promise<DeliveryView[]> {
  const rows = await db.notificationDelivery.findMany({
    where: options.status ? { status: options.status } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 50,
  });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel === "email" ? "email" : "webhook",
    webhookId: r.webhookId,
    target: r.target,
    event: r.event,
    status: r.status === "delivered" ? "delivered" : r.status === "failed" ? "failed" : "pending",
    attempts: r.attempts,
    responseCode: r.responseCode,
    log: JSON.parse(r.log) as DeliveryView["log"],
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  }));
}
