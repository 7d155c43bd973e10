import Link from "next/link";
import { NavLinks } from "./NavLinks";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./account/UserMenu";

export function AppHeader() {
  return (
    <header className="relative border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
      <div className="mx-auto flex w-full max-w-7xl items-center gap-x-3 px-4 sm:gap-x-6 py-3 sm:px-6">
        <Link href="/catalog" className="flex shrink-0 items-center gap-2 text-base font-semibold tracking-tight">
          <span
            aria-hidden="true"
            className="inline-block h-5 w-5 rounded bg-gradient-to-br from-sky-500 to-emerald-500"
          />
          {/* On a phone the mark alone, so the menu, account and theme fit one row; the name stays for screen readers. */}
          <span className="max-sm:sr-only">Allowlist Admin</span>
        </Link>
        <NavLinks />
        <div className="ml-auto flex shrink-0 items-center gap-3 sm:gap-4">
          <UserMenu />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
