import Link from "next/link";
import { currentSession } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";

/** The header's account area: who is signed in, their pages, or a sign-in link. */
export async function UserMenu() {
  const session = await currentSession().catch(() => null);
  if (session === null) return <Link href="/sign-in" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">Sign in</Link>;
  return (
    <nav aria-label="Account" className="flex items-center gap-3 text-sm">
      {can(session, "user:admin") ? <Link href="/users" className="hover:underline">Users</Link> : null}
      {can(session, "audit:read") ? <Link href="/audit" className="hover:underline">Audit</Link> : null}
      <Link href="/account" className="font-medium hover:underline" title={`Signed in as ${session.email ?? ""} (${session.role})`}>
        {session.email} <span className="text-slate-600 dark:text-slate-400">({session.role})</span>
      </Link>
    </nav>
  );
}
