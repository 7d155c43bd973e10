/**
 * Request checks that come before any handler logic: cross-site writes, the JSON-only rule for state-changing
 * routes, and the /api/v1 route table (404 for unknown paths, 405 with Allow). Pure functions of a Request or of a
 * method and path, shared by the route handlers (tested without Next) and proxy.ts (pages and server actions).
 */
import { jsonError } from "./respond";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Extra origins allowed to write (ALLOWLIST_TRUSTED_ORIGINS="https://admin.example.com,…"), besides the app's own. */
export function trustedOrigins(): readonly string[] {
  return (process.env.ALLOWLIST_TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim().toLowerCase())
    .filter((o) => o !== "");
}

/** The host the client addressed: the proxy's X-Forwarded-Host when there is one, else Host, else the URL's. */
export function selfHost(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return (forwarded || request.headers.get("host") || new URL(request.url).host).toLowerCase();
}

/**
 * Why a state-changing request from a browser is refused as cross-site, or null. Browsers say where a request comes
 * from (Sec-Fetch-Site; Origin on every POST/PUT/DELETE); a request with neither is not from a browser (curl, a
 * pipeline) and is left to the token check. Safe methods are never refused here.
 */
export function crossSiteReason(request: Request): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const site = request.headers.get("sec-fetch-site")?.toLowerCase();
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const lower = origin.toLowerCase();
    if (trustedOrigins().includes(lower)) return null;
    if (lower === "null") return "This request comes from an opaque origin (a sandboxed page or a file).";
    let host: string;
    try {
      host = new URL(lower).host;
    } catch {
      return `The Origin header "${origin.slice(0, 100)}" is not an origin.`;
    }
    if (host !== selfHost(request)) return `Requests from ${lower.slice(0, 100)} may not change anything here.`;
    return null;
  }
  if (site === "cross-site" || site === "same-site") return "Requests from other sites may not change anything here.";
  return null;
}

/** 403 in the API's error shape for a cross-site write, or null. */
export function refuseCrossSite(request: Request): Response | null {
  const reason = crossSiteReason(request);
  return reason === null
    ? null
    : jsonError(403, `${reason} Send the request from this app's own pages, or without a browser.`);
}

export const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * 415 unless the body is declared as JSON. A cross-site page can send text/plain without a CORS preflight, but not
 * application/json: refusing every other type closes that door for the JSON routes.
 */
export function requireJson(request: Request): Response | null {
  const type = request.headers.get("content-type") ?? "";
  if (JSON_TYPE.test(type)) return null;
  return jsonError(
    415,
    `Send the body as JSON with Content-Type: application/json${type ? ` (not ${type.slice(0, 100)})` : ""}.`,
  );
}

/** Both checks of a state-changing JSON route, in order. */
export function checkJsonWrite(request: Request): Response | null {
  return refuseCrossSite(request) ?? requireJson(request);
}

/** The /api/v1 routes and their methods (HEAD and OPTIONS follow GET and the rest). */
const API_ROUTES: readonly { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [
  { pattern: /^\/api\/v1\/health\/?$/, methods: ["GET"] },
  { pattern: /^\/api\/v1\/diff\/?$/, methods: ["POST"] },
  { pattern: /^\/api\/v1\/export\/?$/, methods: ["GET", "POST"] },
  { pattern: /^\/api\/v1\/firewalls\/?$/, methods: ["GET", "POST"] },
  { pattern: /^\/api\/v1\/firewalls\/[^/]+\/?$/, methods: ["GET", "PUT", "DELETE"] },
  { pattern: /^\/api\/v1\/firewalls\/[^/]+\/diff\/?$/, methods: ["GET"] },
];

export function allowedMethods(pathname: string): readonly string[] | null {
  const route = API_ROUTES.find((r) => r.pattern.test(pathname));
  if (!route) return null;
  return [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}

/**
 * The answer for a request under /api/v1 that no handler should see: a JSON 404 for an unknown path, a 405 with
 * Allow for a method the route does not have (TRACE included), a 204 with Allow for OPTIONS. Null: the route's.
 */
export function apiRouteAnswer(method: string, pathname: string): Response | null {
  const allowed = allowedMethods(pathname);
  if (allowed === null)
    return jsonError(404, `No such API path: ${pathname.slice(0, 200)}. See the README for the routes of /api/v1.`);
  const m = method.toUpperCase();
  if (m === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: allowed.join(", ") } });
  if (allowed.includes(m)) return null;
  const response = jsonError(
    405,
    `${m.slice(0, 20)} is not allowed on ${pathname.slice(0, 200)}; use ${allowed.join(", ")}.`,
  );
  response.headers.set("Allow", allowed.join(", "));
  return response;
}

/**
 * The handler for every method a route file does not implement: 405 with Allow in the error shape (204 with Allow
 * for OPTIONS), from the route table above, so Next's empty 405 is never what a client sees.
 */
export function notAllowed(request: Request): Response {
  const pathname = new URL(request.url).pathname;
  return (
    apiRouteAnswer(request.method, pathname) ??
    jsonError(405, `${request.method.slice(0, 20)} is not allowed on ${pathname.slice(0, 200)}.`)
  );
}
