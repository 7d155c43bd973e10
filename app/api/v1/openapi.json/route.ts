import { openApiRoute } from "@/lib/api/openapi";

export function GET(request: Request): Promise<Response> {
  return openApiRoute(request);
}
