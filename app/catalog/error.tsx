"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

// Server errors reach the client with their message stripped in production; a digest identifies them in the logs.
export default function CatalogError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="The catalog could not be loaded"
      message={`${error.message && !error.message.startsWith("An error occurred in the Server Components render") ? error.message : "The server could not read the catalog from its database."} Check the server log${error.digest ? ` (reference ${error.digest})` : ""} and that DATABASE_URL points to a readable database.`}
      retry={reset}
    />
  );
}
