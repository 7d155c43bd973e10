// better-auth's endpoints: sign-in, sign-out, sessions, password change, single sign-on callbacks.
import { getAuth } from "@/lib/auth/server";
import { ensureAppDatabase } from "@/lib/db/ready";

async function handle(request: Request): Promise<Response> {
  await ensureAppDatabase();
  return getAuth().handler(request);
}

export const GET = handle;
export const POST = handle;
