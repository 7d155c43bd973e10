import { serveFeed } from "@/lib/api/feed-serve";

// Every poll is answered from the database (and recorded): never cached by Next.
export const dynamic = "force-dynamic";

export { serveFeed as GET, serveFeed as HEAD };
