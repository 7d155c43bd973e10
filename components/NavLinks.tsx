"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
// In every page's bundle (the header is on every page), before any schema parses in the browser.
import "@/lib/browser/zod-jitless";

export const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/catalog", label: "Catalog" },
  { href: "/compare", label: "Compare" },
  { href: "/firewalls", label: "Firewalls" },
  { href: "/feeds", label: "Feeds" },
  { href: "/notifications", label: "Notifications" },
  { href: "/exports", label: "Exports" },
  { href: "/help", label: "Help" },
] as const;

const FOCUS =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400";

function isActive(pathname: string, href: string): boolean {
  return pathname === href || (href !== "/" && pathname.startsWith(`${href}/`));
}

function linkClass(active: boolean, extra: string): string {
  return `rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${FOCUS} ${extra} ${
    active
      ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
      : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
  }`;
}

/**
 * The main navigation: a row of links on wide screens; below lg a "Menu" disclosure button (aria-expanded) whose
 * list opens under the header, so the header stays one row on a phone. Escape or a click elsewhere closes it and
 * Escape gives focus back to the button.
 */
export function NavLinks() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);

  // A navigation closes the menu.
  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <nav aria-label="Main" className="min-w-0">
      <ul className="hidden gap-1 lg:flex">
        {NAV_ITEMS.map((item) => {
          const active = isActive(pathname, item.href);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? "page" : undefined} className={linkClass(active, "")}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div ref={wrapRef} className="lg:hidden">
        <button
          ref={buttonRef}
          type="button"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen((o) => !o)}
          className={`inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800 ${FOCUS}`}
        >
          <span aria-hidden="true">{open ? "✕" : "☰"}</span>
          Menu
        </button>
        <ul
          id={listId}
          hidden={!open}
          className="absolute inset-x-0 top-full z-40 border-b border-slate-200 bg-white px-4 py-2 shadow-md dark:border-slate-800 dark:bg-slate-950"
        >
          {NAV_ITEMS.map((item) => {
            const active = isActive(pathname, item.href);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  onClick={() => setOpen(false)}
                  className={linkClass(active, "block")}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}
