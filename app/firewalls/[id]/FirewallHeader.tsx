import Link from "next/link";
import { formatTime } from "@/components/firewalls/time";
import type { FirewallWithHead } from "@/lib/db/firewall";
import { formatLabel, isFormatId } from "@/lib/parse/registry";

/** Name, description and head facts shared by the detail, edit and history pages. */
export function FirewallHeader({
  firewall,
  title,
  children,
}: {
  firewall: FirewallWithHead;
  title?: string;
  children?: React.ReactNode;
}) {
  const { head } = firewall;
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div>
        <p className="text-sm">
          <Link href="/firewalls" className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
            Firewalls
          </Link>
          {title ? (
            <>
              {" / "}
              <Link
                href={`/firewalls/${firewall.id}`}
                className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
              >
                {firewall.name}
              </Link>
            </>
          ) : null}
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{title ?? firewall.name}</h1>
        {firewall.description && !title ? (
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{firewall.description}</p>
        ) : null}
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400" data-testid="firewall-meta">
          Revision {head.number} · saved{" "}
          <time dateTime={head.createdAt.toISOString()}>{formatTime(head.createdAt.toISOString())}</time> ·{" "}
          {isFormatId(head.format) ? formatLabel(head.format) : head.format} · {head.regions.join(", ")} · TCP{" "}
          {head.port}
          {head.note ? ` · “${head.note}”` : ""}
        </p>
      </div>
      {children ? <div className="flex flex-wrap items-center gap-2">{children}</div> : null}
    </div>
  );
}
