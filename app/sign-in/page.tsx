import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/account/SignInForm";
import { readAuthConfig } from "@/lib/auth/config";
import { safeNextPath } from "@/lib/auth/next-path";
import { currentSession } from "@/lib/auth/page";
import { getDb } from "@/lib/db/client";
import { ensureAppDatabase } from "@/lib/db/ready";
import { countUsers } from "@/lib/db/user";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const next = safeNextPath(query.next);
  await ensureAppDatabase();
  if ((await countUsers(getDb())) === 0) redirect("/setup");
  if ((await currentSession()) !== null) redirect(next);
  const oidc = readAuthConfig(process.env).oidc;
  return (
    <div className="mx-auto max-w-sm space-y-6 pt-8">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      {query.setup === "1" ? (
        <p className="rounded bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          The admin account is ready: sign in with it.
        </p>
      ) : null}
      {typeof query.error === "string" ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Single sign-on did not complete ({query.error.slice(0, 80)}).
        </p>
      ) : null}
      <SignInForm next={next} oidcName={oidc?.name ?? null} />
    </div>
  );
}
