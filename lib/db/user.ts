/**
 * People and their roles. A user signs in through better-auth (lib/auth/server.ts); creating one here writes the same
 * rows better-auth would (the user, and a "credential" account holding the scrypt hash), so the setup screen, the
 * admin's user page and the CLI need no HTTP round trip.
 */
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { isRole, roleSchema, type Role } from "../auth/permissions";
import type { Db } from "./client";
import { Prisma } from "./generated/client";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter an e-mail address." }).max(254, "At most 254 characters."));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `At most ${PASSWORD_MAX} characters.`);

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100, "At most 100 characters.").default(""),
  password: passwordSchema,
  role: roleSchema,
});
export type NewUser = z.output<typeof newUserSchema>;

export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

function view(u: {
  id: string;
  email: string;
  name: string;
  role: string;
  disabledAt: Date | null;
  createdAt: Date;
}): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: isRole(u.role) ? u.role : "viewer",
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
  };
}

const SELECT = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export type CreateUserResult = { ok: true; user: UserView } | { ok: false; reason: "email-taken" | "not-first" };

/**
 * Creates a user with a password. `onlyIfFirst` is the setup screen's guard: the count and the insert run in one
 * transaction, so two people racing on a fresh install cannot both become the first admin.
 */
export async function createUser(
  db: Db,
  input: NewUser,
  options: { onlyIfFirst?: boolean } = {},
): Promise<CreateUserResult> {
  const hash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    return await db.$transaction(async (tx) => {
      if (options.onlyIfFirst && (await tx.user.count()) > 0) return { ok: false, reason: "not-first" } as const;
      const user = await tx.user.create({
        data: {
          id,
          email: input.email,
          name: input.name === "" ? input.email : input.name,
          role: input.role,
          emailVerified: false,
          accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password: hash } },
        },
        select: SELECT,
      });
      return { ok: true, user: view(user) } as const;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { ok: false, reason: "email-taken" };
    throw error;
  }
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return (await db.user.findMany({ select: SELECT, orderBy: { email: "asc" } })).map(view);
}

export async function getUser(db: Db, id: string): Promise<UserView | null> {
  const u = await db.user.findUnique({ where: { id }, select: SELECT });
  return u ? view(u) : null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserView | null> {
  const u = await db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: SELECT });
  return u ? view(u) : null;
}

/** How many enabled admins there are: the last one may not be demoted or disabled. */
export async function countActiveAdmins(db: Db): Promise<number> {
  return db.user.count({ where: { role: "admin", disabledAt: null } });
}

export type UserChange =
  { ok: true; before: UserView; after: UserView } | { ok: false; reason: "not-found" | "last-admin" };

/** Sets the role and/or disables; the last enabled admin is kept. Disabling ends the user's sessions. */
export async function updateUser(db: Db, id: string, change: { role?: Role; disabled?: boolean }): Promise<UserChange> {
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: SELECT });
    if (!before) return { ok: false, reason: "not-found" } as const;
    const losesAdmin =
      before.role === "admin" &&
      before.disabledAt === null &&
      ((change.role !== undefined && change.role !== "admin") || change.disabled === true);
    if (losesAdmin && (await tx.user.count({ where: { role: "admin", disabledAt: null } })) <= 1)
      return { ok: false, reason: "last-admin" } as const;
    const after = await tx.user.update({
      where: { id },
      data: {
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(change.disabled !== undefined
          ? { disabledAt: change.disabled ? (before.disabledAt ?? new Date()) : null }
          : {}),
      },
      select: SELECT,
    });
    if (change.disabled === true) await tx.session.deleteMany({ where: { userId: id } });
    return { ok: true, before: view(before), after: view(after) } as const;
  });
}

/** Sets a new password (the CLI's reset) and ends every session of the user. */
export async function setPassword(db: Db, userId: string, password: string): Promise<boolean> {
  const hash = await hashPassword(password);
  const updated = await db.account.updateMany({
    where: { userId, providerId: "credential" },
    data: { password: hash },
  });
  if (updated.count === 0) {
    const exists = await db.user.count({ where: { id: userId } });
    if (exists === 0) return false;
    await db.account.create({
      data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: hash },
    });
  }
  await db.session.deleteMany({ where: { userId } });
  return true;
}
