"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

export default function FirewallHistoryError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorPanel
      title="The history could not be shown"
      message={`The server failed while reading or checking it. Check the server log${error.digest ? ` (reference ${error.digest})` : ""}.`}
      retry={reset}
    />
  );
}
