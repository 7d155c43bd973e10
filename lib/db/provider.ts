/** The provider whose catalog the app and the command line show. Its own module: the SQLite fast path needs
 *  it without loading lib/db/catalog.ts and the Prisma client behind it. */
export const DEFAULT_PROVIDER = "freshworks";
