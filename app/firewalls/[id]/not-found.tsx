import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "No such firewall" };

export default function FirewallNotFound() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <h1 className="text-lg font-semibold">No such firewall</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        It may have been deleted.{" "}
        <Link href="/firewalls" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Back to the firewalls
        </Link>
      </p>
    </div>
  );
}
