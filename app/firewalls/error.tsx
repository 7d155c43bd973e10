"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

export default function FirewallsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="The firewalls could not be loaded"
      message={`The server could not read the saved firewalls. Check the server log${error.digest ? ` (reference ${error.digest})` : ""} and that DATABASE_URL points to a readable database.`}
      retry={reset}
    />
  );
}
