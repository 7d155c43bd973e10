// The one API route anonymous callers reach: is the app up and its database usable?
import { boundary } from "@/lib/api/boundary";
import { healthRoute } from "@/lib/api/health";
import { notAllowed } from "@/lib/api/guard";

export const GET = boundary(healthRoute);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE, notAllowed as OPTIONS };
