import { boundary } from "@/lib/api/boundary";
import { firewallDiffRoute } from "@/lib/api/firewalls";
import { notAllowed } from "@/lib/api/guard";

export const GET = boundary(firewallDiffRoute);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE, notAllowed as OPTIONS };
