import type { Metadata } from "next";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { FirewallEditor } from "@/components/firewalls/FirewallEditor";
import { DatabaseError } from "@/lib/db/errors";
import { FirewallHeader } from "../FirewallHeader";
import { compareCatalog, loadFirewall } from "../../load";
import { requirePage } from "@/lib/auth/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Edit firewall" };

export default async function EditFirewallPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("firewall:write", `/firewalls/${encodeURIComponent((await params).id)}/edit`);
  let data;
  try {
    data = await loadFirewall(params);
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const { firewall, catalog } = data;
  const { head } = firewall;
  return (
    <div className="space-y-6">
      <FirewallHeader firewall={firewall} title={`Edit ${firewall.name}`} />
      <FirewallEditor
        // A new head (after a save elsewhere and a reload) starts a fresh editor.
        key={head.number}
        firewall={{
          id: firewall.id,
          name: firewall.name,
          description: firewall.description,
          head: { number: head.number, text: head.text, format: head.format, regions: head.regions, port: head.port },
        }}
        catalog={compareCatalog(catalog)}
      />
    </div>
  );
}
