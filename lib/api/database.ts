import { DatabaseError } from "../db/errors";
import { ensureAppDatabase } from "../db/ready";
import { jsonError } from "./respond";

/**
 * Runs a handler's database work: the database checked first (once per process), and a database that cannot be
 * used answered as a 500 in the error shape with its one-sentence reason. Anything else propagates to the boundary.
 */
export async function guarded(run: () => Promise<Response>): Promise<Response> {
  try {
    await ensureAppDatabase();
    return await run();
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(500, error.message);
    throw error;
  }
}
