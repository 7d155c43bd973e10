/**
 * The audit trail: one row per change or sign-in. This module only ever inserts and reads; nothing in the app
 * updates or deletes an event.
 */
import { z } from "zod";
import type { Session } from "../auth/permissions";
import type { Db } from "./client";

export const AUDIT_ACTIONS = [
  "signin.success",
  "signin.failed",
  "signout",
  "signout.everywhere",
  "password.change",
  "user.create",
  "user.update",
  "token.create",
  "token.revoke",
  "firewall.create",
  "firewall.edit",
  "firewall.restore",
  "firewall.delete",
  "export",
  "catalog.import",
  "feed.create",
  "feed.rotate",
  "feed.revoke",
  "feed.delete",
  "webhook.create",
  "webhook.delete",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  readonly action: AuditAction;
  /** Who acted: a session, or for sign-in events the e-mail given. */
  readonly who: Session | { readonly actor: string; readonly userId: string | null };
  readonly ip: string | null;
  readonly target?: string;
  readonly details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: input.action,
      actor: input.who.actor.slice(0, 300),
      userId: input.who.userId,
      ip: (input.ip ?? "").slice(0, 100),
      target: (input.target ?? "").slice(0, 300),
      details: JSON.stringify(input.details ?? {}),
    },
  });
}

export const auditFilterSchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export interface AuditEventView {
  readonly id: number;
  readonly at: Date;
  readonly action: string;
  readonly actor: string;
  readonly ip: string;
  readonly target: string;
  readonly details: string;
}

function where(filter: AuditFilter) {
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor ? { actor: { contains: filter.actor } } : {}),
    ...(filter.from || filter.to
      ? {
          at: {
            ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
            ...(filter.to ? { lt: new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
          },
        }
      : {}),
    ...(filter.before ? { id: { lt: filter.before } } : {}),
  };
}

/** Newest first; `limit` rows from `filter.before` (an id) down. */
export async function listAuditEvents(db: Db, filter: AuditFilter, limit = 100): Promise<AuditEventView[]> {
  return db.auditEvent.findMany({
    where: where(filter),
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, at: true, action: true, actor: true, ip: true, target: true, details: true },
  });
}

/** Failed sign-ins for one e-mail since a time: the per-account throttle reads this. */
export async function countFailedSignIns(db: Db, email: string, since: Date): Promise<number> {
  return db.auditEvent.count({ where: { action: "signin.failed", target: `user:${email}`, at: { gte: since } } });
}

interface FirewallFacts {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly headRevision: number;
  readonly head: { readonly format: string; readonly regions: readonly string[] | string; readonly port: number };
}

function facts(f: FirewallFacts): Record<string, unknown> {
  return {
    name: f.name,
    description: f.description,
    format: f.head.format,
    regions: Array.isArray(f.head.regions) ? f.head.regions.join(",") : f.head.regions,
    port: f.head.port,
  };
}

/**
 * What an audit event says about a firewall write: the small fields that changed (before → after) and the
 * revision numbers; the text itself stays in the revision, which the event names.
 */
export function firewallChangeDetails(
  before: FirewallFacts | null,
  after: FirewallFacts | null,
): Record<string, unknown> {
  const b = before ? facts(before) : {};
  const a = after ? facts(after) : {};
  const changed: Record<string, { before?: unknown; after?: unknown }> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key]))
      changed[key] = { ...(before ? { before: b[key] } : {}), ...(after ? { after: a[key] } : {}) };
  }
  return {
    ...(before ? { fromRevision: before.headRevision } : {}),
    ...(after ? { revision: after.headRevision } : {}),
    changed,
  };
}

/** Records a firewall write for the audit trail. */
export async function auditFirewall(
  db: Db,
  action: "firewall.create" | "firewall.edit" | "firewall.restore" | "firewall.delete",
  who: Session,
  ip: string | null,
  before: FirewallFacts | null,
  after: FirewallFacts | null,
): Promise<void> {
  const id = after?.id ?? before?.id ?? 0;
  await recordAudit(db, { action, who, ip, target: `firewall:${id}`, details: firewallChangeDetails(before, after) });
}

/** A feed's creation or token change (the token itself never; its hint names which one). */
export async function auditFeed(
  db: Db,
  action: "feed.create" | "feed.rotate" | "feed.revoke" | "feed.delete",
  who: Session,
  ip: string | null,
  feed: { readonly id: number; readonly name?: string; readonly tokenHint?: string },
): Promise<void> {
  await recordAudit(db, {
    action,
    who,
    ip,
    target: `feed:${feed.id}`,
    details: {
      ...(feed.name !== undefined ? { name: feed.name } : {}),
      ...(feed.tokenHint !== undefined ? { tokenHint: feed.tokenHint } : {}),
    },
  });
}
