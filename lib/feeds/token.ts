import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new feed token: "fd_" and 32 random bytes in base64url (256 bits), never all digits, so a path tells it from an id. */
export function newFeedToken(): string {
  return `fd_${randomBytes(32).toString("base64url")}`;
}

/** What is stored: sha256 in lowercase hex. A token has full entropy, so a plain hash cannot be searched back. */
export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenHint(token: string): string {
  return `${token.slice(0, 7)}…`;
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashFeedToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an "Authorization: Basic" header: the password (PAN-OS and FortiGate send user and password; the user is ignored). */
export function basicAuthToken(header: string | null): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const password = colon >= 0 ? decoded.slice(colon + 1) : decoded;
  return password === "" ? undefined : password;
}
