import type { Metadata } from "next";
import { headers } from "next/headers";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { FeedsScreen } from "@/components/feeds/FeedsScreen";
import { feedJson, publicBaseUrl } from "@/lib/api/feeds";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listFeeds } from "@/lib/db/feed";
import { ensureAppDatabase } from "@/lib/db/ready";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Feeds" };
export const dynamic = "force-dynamic";

export default async function FeedsPage() {
  await requirePage("feed:read", "/feeds");
  let data;
  try {
    await ensureAppDatabase();
    const db = getDb();
    const [catalog, feeds, firewalls] = await Promise.all([
      getCurrentCatalog(db),
      listFeeds(db),
      db.firewall.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ]);
    data = { catalog, feeds, firewalls };
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const base = publicBaseUrl(await headers());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Feeds</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Let firewalls fetch the {data.catalog.provider.name} list themselves (PAN-OS External Dynamic Lists, FortiGate
          external threat feeds, Check Point Generic Data Center, pfSense/OPNsense URL tables). A feed always serves the
          newest catalog version (now {data.catalog.version.version}); each has its own token, which you can revoke or
          rotate at any time.
        </p>
      </div>
      <FeedsScreen
        feeds={data.feeds.map((f) => feedJson(f, base))}
        regions={data.catalog.regions}
        firewalls={data.firewalls}
      />
    </div>
  );
}
