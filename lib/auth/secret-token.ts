import { createHash, randomBytes } from "node:crypto";

/** A new API token: 256 random bits, prefixed so a leaked one is recognisable in logs and scanners. */
export function newApiToken(): string {
  return `alt_${randomBytes(32).toString("base64url")}`;
}

/** What is stored for a token: sha256 hex. A 256-bit random token needs no slow hash. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The first characters, for telling tokens apart in lists. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 8)}…`;
}
