"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

export default function ExportsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="The export log could not be loaded"
      message={`The server could not read the export log from its database. Check the server log${error.digest ? ` (reference ${error.digest})` : ""} and that DATABASE_URL points to a readable database.`}
      retry={reset}
    />
  );
}
