import type { Metadata } from "next";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { NotificationsScreen } from "@/components/notifications/NotificationsScreen";
import { deliveryJson, webhookJson } from "@/lib/api/webhooks";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listDeliveries, listWebhooks } from "@/lib/db/notification";
import { ensureAppDatabase } from "@/lib/db/ready";
import { describeMailServer, readMailConfig } from "@/lib/notify/email";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

export default async function NotificationsPage() {
  await requirePage("notification:read", "/notifications");
  let data;
  try {
    await ensureAppDatabase();
    const db = getDb();
    const [catalog, webhooks, deliveries] = await Promise.all([
      getCurrentCatalog(db),
      listWebhooks(db),
      listDeliveries(db, { limit: 100 }),
    ]);
    data = { catalog, webhooks, deliveries };
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const mail = readMailConfig(process.env);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Who hears about a new catalog version. For a scheduled check, run{" "}
          <code>allowlist catalog check --url URL --notify</code> from cron or a systemd timer.
        </p>
      </div>
      <NotificationsScreen
        webhooks={data.webhooks.map((w) => webhookJson(w))}
        deliveries={data.deliveries.map(deliveryJson)}
        mail={mail ? `Sent through ${describeMailServer(mail)} from ${mail.from} to ${mail.to.join(", ")}.` : null}
        regions={data.catalog.regions.map((r) => r.code)}
      />
    </div>
  );
}
