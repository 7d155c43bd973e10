export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the export log">
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-8 w-full animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
      ))}
    </div>
  );
}
