import type { Db } from "../db/client";

/** Tells subscribers that catalog version `to` replaced `from`. Filled in by the notifications work. */
export async function notifyCatalogChange(_db: Db, _change: { readonly from: number; readonly to: number }): Promise<void> {}
