"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

export default function CompareError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="The compare screen could not be loaded"
      message={`The server could not prepare the catalog to compare against. Check the server log${error.digest ? ` (reference ${error.digest})` : ""} and that DATABASE_URL points to a readable database.`}
      retry={reset}
    />
  );
}
