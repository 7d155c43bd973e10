import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/account/SetupForm";
import { getDb } from "@/lib/db/client";
import { ensureAppDatabase } from "@/lib/db/ready";
import { countUsers, PASSWORD_MIN } from "@/lib/db/user";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

/** Shown only while no user exists: creates the first admin. There is no default account or password. */
export default async function SetupPage() {
  await ensureAppDatabase();
  if ((await countUsers(getDb())) > 0) redirect("/sign-in");
  return (
    <div className="mx-auto max-w-md space-y-6 pt-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Create the first admin</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Nobody has an account yet. The account you create here is an admin: it adds the others. This screen disappears
          once it exists. (On the server, <code>allowlist user create --admin EMAIL</code> does the same.)
        </p>
      </div>
      <SetupForm minLength={PASSWORD_MIN} />
    </div>
  );
}
