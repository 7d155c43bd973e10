import Link from "next/link";
import { currentSession } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";

/** The header's account area: who is signed in, their pages, or a sign-in link. */
export async function UserMenu() {
  const session = await currentSession().catch(() => null);
  if (session === null) return <Link href="/sign-in" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">Sign in</Link>;
  return (
    <nav aria-label="Account" className="flex items-center gap-3 text-sm">
      {/* Below 1280 px the header has no room for these: /account links to both. */}
      {can(session, "user:admin") ? <Link href="/users" className="hidden hover:underline xl:inline">Users</Link> : null}
      {can(session, "audit:read") ? <Link href="/audit" className="hidden hover:underline xl:inline">Audit</Link> : null}
      <Link href="/account" className="font-medium hover:underline" title={`Signed in as ${session.email ?? ""} (${session.role})`}>
        <span className="xl:hidden">Account</span>
        <span className="hidden xl:inline">
          {session.email} <span className="text-slate-600 dark:text-slate-400">({session.role})</span>
        </span>
      </Link>
    </nav>
  );
}
