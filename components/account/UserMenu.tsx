import Link from "next/link";
import { currentSession } from "@/lib/auth/page";

/** The header's account area: who is signed in, their pages, or a sign-in link. */
export async function UserMenu() {
  const session = await currentSession().catch(() => null);
  if (session === null)
    return (
      <Link href="/sign-in" className="inline-block py-1 text-sm font-medium text-sky-700 underline dark:text-sky-400">
        Sign in
      </Link>
    );
  return (
    // One short link: the header has no room for more at any width (Lighthouse found "Users" and "Audit" crowding the
    // navigation at 1350 px). /account says who is signed in and links to Users and the audit log for admins.
    <Link
      href="/account"
      className="inline-block py-1 text-sm font-medium hover:underline"
      aria-label={`Account: ${session.email ?? ""} (${session.role})`}
      title={`Signed in as ${session.email ?? ""} (${session.role})`}
    >
      Account
    </Link>
  );
}
