"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { createFeedFrom, feedJson, publicBaseUrl } from "@/lib/api/feeds";
import { actionSession } from "@/lib/auth/page";
import type { Session } from "@/lib/auth/permissions";
import { auditFeed } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { deleteFeed, revokeFeed, rotateFeedToken } from "@/lib/db/feed";
import { ensureAppDatabase } from "@/lib/db/ready";

export type FeedActionResult =
  | { readonly ok: true; readonly feed?: ReturnType<typeof feedJson> }
  | { readonly ok: false; readonly message: string; readonly errors?: Record<string, string> };

type Who = { readonly session: Session; readonly ip: string | null };

async function run(work: (who: Who) => Promise<FeedActionResult>): Promise<FeedActionResult> {
  const allowed = await actionSession("feed:write");
  if (!allowed.ok) return { ok: false, message: allowed.message };
  try {
    await ensureAppDatabase();
    const out = await work(allowed);
    revalidatePath("/feeds");
    revalidatePath("/");
    return out;
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, message: error.message };
    throw error;
  }
}

async function base(): Promise<string> {
  return publicBaseUrl(await headers());
}

/** New feed: the token comes back this once, for the URLs and snippets shown right after. */
export async function createFeedAction(input: unknown): Promise<FeedActionResult> {
  return run(async (who) => {
    const out = await createFeedFrom(getDb(), input);
    if (!out.ok)
      return {
        ok: false,
        message: out.message,
        errors: Object.fromEntries(out.issues.map((i) => [i.path ?? "", i.message])),
      };
    await auditFeed(getDb(), "feed.create", who.session, who.ip, out.feed);
    return { ok: true, feed: feedJson(out.feed, await base(), out.token) };
  });
}

const idSchema = z.number().int().positive();

export async function rotateFeedAction(id: unknown): Promise<FeedActionResult> {
  return run(async (who) => {
    const parsed = idSchema.safeParse(id);
    const out = parsed.success ? await rotateFeedToken(getDb(), parsed.data) : null;
    if (out) await auditFeed(getDb(), "feed.rotate", who.session, who.ip, out.feed);
    return out
      ? { ok: true, feed: feedJson(out.feed, await base(), out.token) }
      : { ok: false, message: "No such feed." };
  });
}

export async function revokeFeedAction(id: unknown): Promise<FeedActionResult> {
  return run(async (who) => {
    const parsed = idSchema.safeParse(id);
    if (!parsed.success || !(await revokeFeed(getDb(), parsed.data))) return { ok: false, message: "No such feed." };
    await auditFeed(getDb(), "feed.revoke", who.session, who.ip, { id: parsed.data });
    return { ok: true };
  });
}

export async function deleteFeedAction(id: unknown): Promise<FeedActionResult> {
  return run(async (who) => {
    const parsed = idSchema.safeParse(id);
    if (!parsed.success || !(await deleteFeed(getDb(), parsed.data))) return { ok: false, message: "No such feed." };
    await auditFeed(getDb(), "feed.delete", who.session, who.ip, { id: parsed.data });
    return { ok: true };
  });
}
