// Runs before every page (Next's proxy, formerly middleware): cross-site writes to pages and server actions refused
// with a 403 page, and the security headers with a fresh CSP nonce per page. Not for /api: the proxy buffers request
// bodies (past its limit it silently cuts them), and the API's handlers check methods, origins and types themselves.
import { NextResponse, type NextRequest } from "next/server";
import { crossSiteReason } from "@/lib/api/guard";
import { API_CSP, newNonce, pageCsp, STATIC_SECURITY_HEADERS } from "@/lib/api/security-headers";

function withSecurityHeaders(response: Response, csp: string): Response {
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function forbiddenPage(reason: string): Response {
  const escaped = reason.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>403 · Allowlist Admin</title></head><body><h1>403 Forbidden</h1><p>${escaped}</p><p>Open this app's own pages and try again.</p></body></html>`;
  return new Response(html, { status: 403, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

export function proxy(request: NextRequest) {
  const method = request.method.toUpperCase();
  if (method === "TRACE" || method === "TRACK" || method === "CONNECT") {
    return withSecurityHeaders(
      new Response("Method not allowed.\n", { status: 405, headers: { Allow: "GET, HEAD, POST" } }),
      API_CSP,
    );
  }
  const reason = crossSiteReason(request);
  if (reason !== null) return withSecurityHeaders(forbiddenPage(reason), API_CSP);

  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
