/** The client's address: the first X-Forwarded-For hop (set by Next's server and by proxies), else X-Real-IP. */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return (forwarded || headers.get("x-real-ip") || null)?.slice(0, 100) ?? null;
}
