/**
 * The access settings from the environment, validated once. Settings of the former env-var access model
 * (ALLOWLIST_API_TOKENS, ALLOWLIST_READONLY) stop the start: leaving them set would let an operator believe the
 * API is closed by them (README, "Migrating from environment tokens").
 */
import { z } from "zod";
import { roleSchema, type Role } from "./permissions";

export class AuthConfigError extends Error {}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The button's label ("Sign in with Okta"). */
  readonly name: string;
  /** The role of a person created by their first single sign-on. */
  readonly defaultRole: Role;
}

export interface AuthConfig {
  /** Where the app is reached (https → Secure cookies); undefined: taken from each request. */
  readonly publicUrl: string | undefined;
  readonly secret: string | undefined;
  /** Sign-in attempts per address per minute before 429. */
  readonly signInPerMinute: number;
  readonly oidc: OidcConfig | undefined;
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const envSchema = z
  .object({
    ALLOWLIST_API_TOKENS: optionalText,
    ALLOWLIST_READONLY: optionalText,
    ALLOWLIST_PUBLIC_URL: optionalText.pipe(
      z.url({ protocol: /^https?$/, message: "ALLOWLIST_PUBLIC_URL must be an http(s) URL." }).optional(),
    ),
    ALLOWLIST_AUTH_SECRET: optionalText.pipe(
      z.string().min(32, "ALLOWLIST_AUTH_SECRET must be at least 32 characters.").optional(),
    ),
    ALLOWLIST_SIGNIN_PER_MINUTE: optionalText.pipe(
      z
        .string()
        .regex(/^[1-9]\d{0,3}$/, "ALLOWLIST_SIGNIN_PER_MINUTE must be a whole number from 1 to 9999.")
        .transform(Number)
        .optional(),
    ),
    ALLOWLIST_OIDC_ISSUER: optionalText.pipe(
      z.url({ protocol: /^https?$/, message: "ALLOWLIST_OIDC_ISSUER must be an http(s) URL." }).optional(),
    ),
    ALLOWLIST_OIDC_CLIENT_ID: optionalText,
    ALLOWLIST_OIDC_CLIENT_SECRET: optionalText,
    ALLOWLIST_OIDC_NAME: optionalText,
    ALLOWLIST_OIDC_DEFAULT_ROLE: optionalText.pipe(roleSchema.optional()),
  })
  .superRefine((env, ctx) => {
    for (const removed of ["ALLOWLIST_API_TOKENS", "ALLOWLIST_READONLY"] as const) {
      if (env[removed] !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `${removed} is no longer read: access is by accounts, roles and personal API tokens now (README, "Migrating from environment tokens"). Unset it.`,
        });
      }
    }
    const oidc = [env.ALLOWLIST_OIDC_ISSUER, env.ALLOWLIST_OIDC_CLIENT_ID, env.ALLOWLIST_OIDC_CLIENT_SECRET];
    if (oidc.some((v) => v !== undefined) && !oidc.every((v) => v !== undefined)) {
      ctx.addIssue({
        code: "custom",
        message:
          "Single sign-on needs ALLOWLIST_OIDC_ISSUER, ALLOWLIST_OIDC_CLIENT_ID and ALLOWLIST_OIDC_CLIENT_SECRET together.",
      });
    }
  });

const cache = new Map<string, AuthConfig>();
const KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export function readAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const key = KEYS.map((k) => env[k] ?? "").join("\u0000");
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = envSchema.safeParse(Object.fromEntries(KEYS.map((k) => [k, env[k]])));
  if (!parsed.success) throw new AuthConfigError(parsed.error.issues.map((i) => i.message).join(" "));
  const e = parsed.data;
  const config: AuthConfig = {
    publicUrl: e.ALLOWLIST_PUBLIC_URL,
    secret: e.ALLOWLIST_AUTH_SECRET,
    signInPerMinute: e.ALLOWLIST_SIGNIN_PER_MINUTE ?? 10,
    oidc:
      e.ALLOWLIST_OIDC_ISSUER && e.ALLOWLIST_OIDC_CLIENT_ID && e.ALLOWLIST_OIDC_CLIENT_SECRET
        ? {
            issuer: e.ALLOWLIST_OIDC_ISSUER.replace(/\/+$/, ""),
            clientId: e.ALLOWLIST_OIDC_CLIENT_ID,
            clientSecret: e.ALLOWLIST_OIDC_CLIENT_SECRET,
            name: e.ALLOWLIST_OIDC_NAME ?? "single sign-on",
            defaultRole: e.ALLOWLIST_OIDC_DEFAULT_ROLE ?? "viewer",
          }
        : undefined,
  };
  cache.set(key, config);
  return config;
}

/** The start-up check: throws on what must stop the start, returns warnings to print. */
export function checkAuthEnv(env: Record<string, string | undefined>): string[] {
  const config = readAuthConfig(env);
  const warnings: string[] = [];
  if (config.publicUrl === undefined && env.NODE_ENV === "production") {
    warnings.push("ALLOWLIST_PUBLIC_URL is not set: cookies are marked Secure only when it is an https URL.");
  }
  return warnings;
}
