/** GET/POST /api/v1/webhooks, DELETE /api/v1/webhooks/{id}, GET /api/v1/notifications (the delivery log). */
import { randomBytes } from "node:crypto";
import { getCurrentCatalog } from "../db/catalog";
import { getDb, type Db } from "../db/client";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  type DeliveryView,
  type WebhookView,
} from "../db/notification";
import { webhookSchema } from "../notify/schema";
import { zodIssues } from "./errors";
import { apiAuthorize, jsonError, readJsonBody } from "./respond";
import { guarded } from "./database";
import { recordAudit } from "../db/audit";
import { clientIp } from "../auth/client-ip";

export function webhookJson(w: WebhookView, secret?: string) {
  return {
    id: w.id,
    url: w.url,
    regions: w.regions,
    active: w.active,
    createdAt: w.createdAt.toISOString(),
    secretHint: w.secretHint,
    ...(secret ? { secret } : {}),
  };
}

export function deliveryJson(d: DeliveryView) {
  return { ...d, createdAt: d.createdAt.toISOString(), finishedAt: d.finishedAt?.toISOString() ?? null };
}

/** Validates and stores a webhook; the secret (given or generated) is returned so the receiver can verify. */
export async function createWebhookFrom(db: Db, input: unknown) {
  const catalog = await getCurrentCatalog(db);
  const parsed = webhookSchema(catalog.regions.map((r) => r.code)).safeParse(input);
  if (!parsed.success)
    return { ok: false as const, message: "The webhook is not valid.", issues: zodIssues(parsed.error.issues) };
  const secret = parsed.data.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const hook = await createWebhook(db, { url: parsed.data.url, secret, regions: parsed.data.regions });
  return { ok: true as const, hook, secret };
}

export async function listWebhooksRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "notification:read");
  if (!auth.ok) return auth.response;
  return guarded(async () => Response.json({ webhooks: (await listWebhooks(getDb())).map((w) => webhookJson(w)) }));
}

export async function createWebhookRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "notification:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, 64 * 1024);
  if (!body.ok) return body.response;
  return guarded(async () => {
    const out = await createWebhookFrom(getDb(), body.value);
    if (!out.ok) return jsonError(400, out.message, out.issues);
    await recordAudit(getDb(), {
      action: "webhook.create",
      who: auth.value,
      ip: clientIp(request.headers),
      target: `webhook:${out.hook.id}`,
      details: { url: out.hook.url },
    });
    return Response.json(webhookJson(out.hook, out.secret), {
      status: 201,
      headers: { Location: `/api/v1/webhooks/${out.hook.id}` },
    });
  });
}

export async function deleteWebhookRoute(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const auth = await apiAuthorize(request, "notification:write");
  if (!auth.ok) return auth.response;
  const raw = (await context.params).id;
  const id = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
  return guarded(async () => {
    if (id === null || !(await deleteWebhook(getDb(), id))) return jsonError(404, "No such webhook.");
    await recordAudit(getDb(), {
      action: "webhook.delete",
      who: auth.value,
      ip: clientIp(request.headers),
      target: `webhook:${id}`,
    });
    return new Response(null, { status: 204 });
  });
}

/** GET /api/v1/notifications?status=failed&limit=50 — newest first. */
export async function listNotificationsRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "notification:read");
  if (!auth.ok) return auth.response;
  const q = new URL(request.url).searchParams;
  const limit = Math.min(Math.max(Number(q.get("limit") ?? 50) || 50, 1), 500);
  const status = q.get("status") === "failed" ? "failed" : undefined;
  return guarded(async () =>
    Response.json({
      deliveries: (await listDeliveries(getDb(), { limit, ...(status ? { status } : {}) })).map(deliveryJson),
    }),
  );
}
