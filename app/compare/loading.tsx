export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the compare screen">
      <div className="h-8 w-72 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-12 w-full animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-72 w-full animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />
    </div>
  );
}
