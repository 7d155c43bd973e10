/**
 * Sign-in with better-auth: e-mail and password (scrypt hashes), cookie sessions (httpOnly, SameSite=Lax, Secure
 * when ALLOWLIST_PUBLIC_URL is https), throttling (per address by better-auth's limiter, per account from the audit
 * log), and optional OpenID Connect single sign-on. Sign-up is closed: people are created by an admin, the setup
 * screen or the CLI (lib/db/user.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { getDb, databaseTarget, databaseUrl, type Db } from "../db/client";
import { countFailedSignIns, recordAudit } from "../db/audit";
import { projectRoot } from "../db/paths";
import { selfHost, trustedOrigins } from "../api/guard";
import { readAuthConfig, type AuthConfig } from "./config";
import { clientIp } from "./client-ip";
import { withHashedSessionTokens } from "./hashed-sessions";

/** Failed sign-ins for one account within the window before it is refused (whatever the address). */
export const ACCOUNT_FAILURES_MAX = 5;
export const ACCOUNT_FAILURE_WINDOW_MS = 15 * 60_000;
export const SESSION_DAYS = 7;
export const OIDC_PROVIDER_ID = "oidc";

/**
 * The key that signs session cookies and encrypts OAuth tokens: ALLOWLIST_AUTH_SECRET, or for a single SQLite
 * install a random one kept in data/auth-secret (mode 600), beside the database but never in it.
 */
export function authSecret(config: AuthConfig): string {
  if (config.secret !== undefined) return config.secret;
  const dir = join(projectRoot, "data");
  const file = join(dir, "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    if (databaseTarget(databaseUrl()).kind !== "sqlite") {
      throw new Error(
        "Set ALLOWLIST_AUTH_SECRET (32+ random characters, the same on every instance) when the database is PostgreSQL.",
      );
    }
    mkdirSync(dir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return readFileSync(file, "utf8").trim(); // another process wrote it first
    }
  }
}

function emailOf(body: unknown): string {
  const e = typeof body === "object" && body !== null && "email" in body ? (body as { email: unknown }).email : "";
  return typeof e === "string" ? e.trim().toLowerCase().slice(0, 254) : "";
}

function makeAuth(db: Db, config: AuthConfig) {
  const provider = databaseTarget(databaseUrl()).kind === "sqlite" ? "sqlite" : "postgresql";
  const base = prismaAdapter(db, { provider });
  const secure = config.publicUrl?.startsWith("https:") ?? false;
  return betterAuth({
    appName: "Allowlist Admin",
    ...(config.publicUrl !== undefined ? { baseURL: config.publicUrl } : {}),
    // The same rule as the API's cross-site check (lib/api/guard.ts): the host the browser addressed, and the
    // operator's ALLOWLIST_TRUSTED_ORIGINS. Without it, better-auth compares with the URL Next hands it, which may
    // name another host (localhost for 127.0.0.1) and refuse a same-site sign-in.
    trustedOrigins: (request?: Request) => {
      const own = request ? [`http://${selfHost(request)}`, `https://${selfHost(request)}`] : [];
      return [...own, ...trustedOrigins()];
    },
    secret: authSecret(config),
    database: (options: BetterAuthOptions) => withHashedSessionTokens(base(options)),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: config.oidc?.defaultRole ?? "viewer" },
        disabledAt: { type: "date", input: false, required: false },
      },
    },
    session: { expiresIn: SESSION_DAYS * 86_400, updateAge: 86_400 },
    account: { encryptOAuthTokens: true, accountLinking: { enabled: false } },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: config.signInPerMinute },
        "/change-password": { window: 60, max: config.signInPerMinute },
      },
    },
    advanced: {
      useSecureCookies: secure,
      cookiePrefix: "allowlist",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
    },
    databaseHooks: {
      // Signing in needs only the identity: the provider's access, refresh and ID tokens are never kept.
      account: {
        create: {
          before: async (account) => ({ data: { ...account, accessToken: null, refreshToken: null, idToken: null } }),
        },
        update: {
          before: async (account) => ({
            data: {
              ...account,
              ...("accessToken" in account ? { accessToken: null } : {}),
              ...("refreshToken" in account ? { refreshToken: null } : {}),
              ...("idToken" in account ? { idToken: null } : {}),
            },
          }),
        },
      },
      session: {
        create: {
          // A disabled person gets no session, whichever way they sign in.
          before: async (session) => {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { disabledAt: true } });
            return user !== null && user.disabledAt === null ? undefined : false;
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = emailOf(ctx.body);
        const since = new Date(Date.now() - ACCOUNT_FAILURE_WINDOW_MS);
        if (email !== "" && (await countFailedSignIns(db, email, since)) >= ACCOUNT_FAILURES_MAX) {
          await recordAudit(db, {
            action: "signin.failed",
            who: { actor: `anonymous`, userId: null },
            ip: ctx.headers ? clientIp(ctx.headers) : null,
            target: `user:${email}`,
            details: { reason: "throttled" },
          });
          throw new APIError("TOO_MANY_REQUESTS", {
            message: "Too many failed sign-ins for this account: wait 15 minutes.",
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const ip = ctx.headers ? clientIp(ctx.headers) : null;
        const fresh = ctx.context.newSession;
        if (ctx.path === "/sign-in/email" || ctx.path.startsWith("/callback/")) {
          if (fresh) {
            await recordAudit(db, {
              action: "signin.success",
              who: { actor: `user:${fresh.user.email}`, userId: fresh.user.id },
              ip,
              target: `user:${fresh.user.email}`,
              details: { method: ctx.path === "/sign-in/email" ? "password" : OIDC_PROVIDER_ID },
            });
          } else {
            const email = emailOf(ctx.body);
            await recordAudit(db, {
              action: "signin.failed",
              who: { actor: "anonymous", userId: null },
              ip,
              target: email ? `user:${email}` : "",
              details: { method: ctx.path === "/sign-in/email" ? "password" : OIDC_PROVIDER_ID },
            });
          }
          return;
        }
        const who = ctx.context.session?.user;
        if (!who) return;
        const actor = { actor: `user:${String(who.email)}`, userId: String(who.id) };
        if (ctx.path === "/sign-out")
          await recordAudit(db, { action: "signout", who: actor, ip, target: `user:${String(who.email)}` });
        if (ctx.path === "/revoke-sessions")
          await recordAudit(db, { action: "signout.everywhere", who: actor, ip, target: `user:${String(who.email)}` });
        if (ctx.path === "/change-password")
          await recordAudit(db, { action: "password.change", who: actor, ip, target: `user:${String(who.email)}` });
      }),
    },
    plugins: [
      ...(config.oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: OIDC_PROVIDER_ID,
                  discoveryUrl: `${config.oidc.issuer}/.well-known/openid-configuration`,
                  clientId: config.oidc.clientId,
                  clientSecret: config.oidc.clientSecret,
                  scopes: ["openid", "email", "profile"],
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof makeAuth>;

const cache = globalThis as typeof globalThis & { allowlistAuth?: { key: string; auth: Auth } };

/** The process-wide better-auth instance (rebuilt if the settings change, as they do between tests). */
export function getAuth(): Auth {
  const config = readAuthConfig(process.env);
  const key = JSON.stringify(config) + databaseUrl();
  if (cache.allowlistAuth?.key !== key) cache.allowlistAuth = { key, auth: makeAuth(getDb(), config) };
  return cache.allowlistAuth.auth;
}
