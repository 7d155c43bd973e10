import type { Metadata } from "next";
import { AccountControls } from "@/components/account/AccountControls";
import { TokenForm } from "@/components/account/TokenForm";
import { TokenTable } from "@/components/account/TokenTable";
import { requirePage } from "@/lib/auth/page";
import Link from "next/link";
import { can, ROLES, roleRank } from "@/lib/auth/permissions";
import { listApiTokens } from "@/lib/db/api-token";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const session = await requirePage("token:own", "/account");
  const tokens = await listApiTokens(getDb(), session.userId ?? "");
  const roles = ROLES.filter((r) => roleRank(r) <= roleRank(session.role));
  return (
    <div className="max-w-4xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Signed in as <strong>{session.email}</strong>, role <strong>{session.role}</strong>.
          {can(session, "user:admin") ? (
            <>
              {" "}
              <Link href="/users" className="font-medium text-sky-700 underline dark:text-sky-400">
                Users and tokens
              </Link>
            </>
          ) : null}
          {can(session, "audit:read") ? (
            <>
              {" · "}
              <Link href="/audit" className="font-medium text-sky-700 underline dark:text-sky-400">
                Audit log
              </Link>
            </>
          ) : null}
        </p>
      </div>
      <AccountControls />
      <section className="space-y-3" aria-labelledby="tokens">
        <h2 id="tokens" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Send a token as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code>, or set{" "}
          <code>ALLOWLIST_TOKEN</code> for the command line. A token never does more than its role, nor more than your
          own role today.
        </p>
        <TokenForm roles={roles} />
        <TokenTable tokens={tokens} showOwner={false} />
      </section>
    </div>
  );
}
