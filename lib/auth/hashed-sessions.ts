/**
 * Session tokens are stored as their sha256, never as themselves: someone who reads the database (a backup, a
 * replica) cannot take over a session. better-auth stores the token as given, so its database adapter is wrapped:
 * every `token` of the session model written or looked up is hashed on the way in, and a row read back by its
 * token gets the token the caller already holds.
 */
import { createHash } from "node:crypto";
import type { DBAdapter } from "@better-auth/core/db/adapter";

type Where = { field: string; value: unknown; operator?: string; connector?: string };

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const hashValue = (v: unknown): unknown =>
  typeof v === "string" ? hashSessionToken(v) : Array.isArray(v) ? v.map(hashValue) : v;

function hashWhere(where: readonly Where[] | undefined): Where[] | undefined {
  return where?.map((w) => (w.field === "token" ? { ...w, value: hashValue(w.value) } : w));
}

/** The plain token a lookup was made with (an equality on `token`), to put back into the row returned. */
function lookedUpToken(where: readonly Where[] | undefined): string | undefined {
  const w = where?.find(
    (c) => c.field === "token" && (c.operator === undefined || c.operator === "eq") && typeof c.value === "string",
  );
  return w?.value as string | undefined;
}

function restore<T>(row: T, token: string | undefined): T {
  if (token === undefined || row === null || typeof row !== "object") return row;
  return { ...(row as object), token } as T;
}

const isSession = (model: string) => model === "session";

// The adapter's methods are generic; this wrapper only rewrites arguments and results of the session model.
/* eslint-disable @typescript-eslint/no-explicit-any */
export function withHashedSessionTokens<A extends Omit<DBAdapter, "transaction">>(adapter: A): A {
  const a = adapter as any;
  const wrapped: any = {
    ...a,
    create: async (data: any) => {
      if (!isSession(data.model) || typeof data.data?.token !== "string") return a.create(data);
      const token = data.data.token as string;
      return restore(await a.create({ ...data, data: { ...data.data, token: hashSessionToken(token) } }), token);
    },
    findOne: async (data: any) =>
      isSession(data.model)
        ? restore(await a.findOne({ ...data, where: hashWhere(data.where) }), lookedUpToken(data.where))
        : a.findOne(data),
    findMany: (data: any) => a.findMany(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    count: (data: any) => a.count(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    update: async (data: any) =>
      isSession(data.model)
        ? restore(await a.update({ ...data, where: hashWhere(data.where) }), lookedUpToken(data.where))
        : a.update(data),
    updateMany: (data: any) => a.updateMany(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    delete: (data: any) => a.delete(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    deleteMany: (data: any) => a.deleteMany(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    consumeOne: (data: any) => a.consumeOne(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
    incrementOne: (data: any) =>
      a.incrementOne(isSession(data.model) ? { ...data, where: hashWhere(data.where) } : data),
  };
  if (typeof a.transaction === "function") {
    wrapped.transaction = (callback: (trx: any) => Promise<unknown>) =>
      a.transaction((trx: any) => callback(withHashedSessionTokens(trx)));
  }
  return wrapped as A;
}
