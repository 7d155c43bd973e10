import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Every page of the app, listed from app/ itself (each page.tsx; route groups dropped, api/ skipped), sorted, so the
 * small-screen spec and the Lighthouse run check a new page without anyone adding it. Dynamic segments stay as
 * written ("/firewalls/[id]"); callers substitute them.
 */
export function appPageRoutes(dir = "app", prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (prefix === "" && name === "api") continue;
      out.push(...appPageRoutes(full, prefix + (/^\(.*\)$/.test(name) ? "" : `/${name}`)));
    } else if (name === "page.tsx") out.push(prefix === "" ? "/" : prefix);
  }
  return out.sort();
}
