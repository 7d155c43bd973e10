import { ensureAppDatabase } from "../db/ready";
import { DatabaseError } from "../db/errors";
import { jsonError } from "./respond";

/** GET /api/v1/health: 200 {"status":"ok"} when the database is migrated and readable; no sign-in needed. */
export async function healthRoute(): Promise<Response> {
  try {
    await ensureAppDatabase();
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(503, error.message);
    throw error;
  }
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
