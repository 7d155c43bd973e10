/** Server-rendered explanation of a database that cannot be used, with what to do about it. */
export function DatabaseProblem({ message }: { message: string }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-800 dark:bg-amber-950/40"
    >
      <h1 className="text-lg font-semibold text-amber-900 dark:text-amber-200">The database is not available</h1>
      <p className="mt-2 text-sm text-amber-900 dark:text-amber-200">{message}</p>
      <p className="mt-3 text-sm text-amber-800 dark:text-amber-300">
        Check <code className="rounded bg-amber-100 px-1 dark:bg-amber-900">DATABASE_URL</code> (default: the SQLite
        file <code className="rounded bg-amber-100 px-1 dark:bg-amber-900">data/allowlist.db</code>), then run{" "}
        <code className="rounded bg-amber-100 px-1 dark:bg-amber-900">npm run db:migrate</code> and reload this page.
      </p>
    </div>
  );
}
