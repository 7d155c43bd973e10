// Every /api/v1 path without a route of its own: a JSON 404 in the error shape, whatever the method.
import { apiRouteAnswer } from "@/lib/api/guard";

function notFound(request: Request): Response {
  return apiRouteAnswer(request.method, new URL(request.url).pathname) ?? apiRouteAnswer("GET", "/api/v1/?")!;
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
