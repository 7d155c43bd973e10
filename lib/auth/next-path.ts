/** Where to go after signing in: only a path of this app ("/firewalls/3"), never another site ("//evil", "https:"). */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\"))
    return "/";
  if (/\p{Cc}/u.test(value) || value.length > 500) return "/";
  return value;
}
