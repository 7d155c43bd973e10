import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Your role does not allow this page. Ask an admin for a higher role.{" "}
        <Link href="/catalog" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Go to the catalog
        </Link>
      </p>
    </div>
  );
}
