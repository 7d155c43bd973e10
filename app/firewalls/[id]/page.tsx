import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { ExportPanel } from "@/components/export/ExportPanel";
import { DeleteFirewallButton } from "@/components/firewalls/DeleteFirewallButton";
import { buttonClass } from "@/components/firewalls/styles";
import { FirewallResults } from "@/components/firewalls/FirewallResults";
import { catalogLabelOf } from "@/lib/export/describe";
import { DatabaseError } from "@/lib/db/errors";
import { diff } from "@/lib/diff/engines/objects";
import { parseText } from "@/lib/parse/registry";
import type { FormatId } from "@/lib/parse/types";
import { FirewallHeader } from "./FirewallHeader";
import { AlignmentPanel } from "@/components/firewalls/AlignmentPanel";
import { isExportFormatId } from "@/lib/export/describe";
import { getDb } from "@/lib/db/client";
import { listFirewallAlignments } from "@/lib/db/firewall-alignment";
import { loadFirewall } from "../load";
import { requirePage } from "@/lib/auth/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Firewall" };

export default async function FirewallPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("firewall:read", `/firewalls/${encodeURIComponent((await params).id)}`);
  let data;
  try {
    data = await loadFirewall(params);
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const { firewall, catalog } = data;
  const { head } = firewall;
  const [aligned] = await listFirewallAlignments(getDb(), catalog, [firewall.id]);
  const result = diff(catalog, parseText(head.text, head.format as FormatId, { port: head.port }), {
    regions: head.regions,
    port: head.port,
  });
  const diffHref = `/api/v1/firewalls/${firewall.id}/diff`;
  return (
    <div className="space-y-6">
      <FirewallHeader firewall={firewall}>
        <Link href={`/firewalls/${firewall.id}/edit`} className={buttonClass.primary}>
          Edit
        </Link>
        <Link href={`/firewalls/${firewall.id}/history`} className={buttonClass.secondary}>
          History ({head.number})
        </Link>
        <a href={diffHref} className={buttonClass.secondary}>
          Diff JSON
        </a>
        <DeleteFirewallButton id={firewall.id} name={firewall.name} revisions={head.number} />
      </FirewallHeader>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Checked against catalog version {catalog.version.version}.
      </p>
      {aligned ? (
        <AlignmentPanel
          id={firewall.id}
          alignment={aligned.alignment}
          defaultFormat={isExportFormatId(head.format) ? head.format : "plain"}
        />
      ) : null}
      <FirewallResults result={result} diffHref={diffHref} />
      <ExportPanel
        published={catalog.entries.map((e) => ({ cidr: e.cidr, region: e.region, products: e.products }))}
        regions={head.regions}
        missing={result.published
          .filter((p) => p.status !== "covered")
          .map((p) => ({ cidr: p.entry.cidr, region: p.entry.region, products: p.entry.products }))}
        provider={catalog.provider.name}
        catalogLabel={catalogLabelOf(catalog.provider.name, catalog.version.version, catalog.version.checksum)}
        catalogVersion={catalog.version.version}
        source={{ kind: "firewall", firewallId: firewall.id }}
        title={`Export for ${firewall.name}`}
      />
    </div>
  );
}
