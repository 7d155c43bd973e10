import { importRoute } from "@/lib/api/catalog";

export function POST(request: Request): Promise<Response> {
  return importRoute(request);
}
