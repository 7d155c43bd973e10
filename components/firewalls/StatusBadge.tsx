/** "Compliant" in green, "N missing" in red, unknown in grey: colour backs up the words, never replaces them. */
export function StatusBadge({ label, compliant }: { label: string | null; compliant: boolean }) {
  const tone =
    label === null
      ? "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
      : compliant
        ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        : "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200";
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}
      data-testid="firewall-status"
    >
      <span aria-hidden="true">{label === null ? "?" : compliant ? "✓" : "✗"}</span>
      {label ?? "Not checked"}
    </span>
  );
}
