/** A database problem explained in one sentence fit for a page or a terminal, never a stack trace. */
export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
}

/** An error as one line. Prisma client errors start with the call site and end with the cause. */
export function errorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const fromPrisma = error instanceof Error && error.name.startsWith("PrismaClient");
  return (fromPrisma ? lines.at(-1) : lines[0]) ?? "";
}
