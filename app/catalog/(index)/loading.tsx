export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the catalog">
      <div className="h-8 w-72 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-10 w-full animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="h-8 w-full animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
      ))}
    </div>
  );
}
