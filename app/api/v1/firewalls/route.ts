import { boundary } from "@/lib/api/boundary";
import { createFirewallRoute, listFirewallsRoute } from "@/lib/api/firewalls";
import { notAllowed } from "@/lib/api/guard";

export const GET = boundary(listFirewallsRoute);
export const POST = boundary(createFirewallRoute);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE, notAllowed as OPTIONS };
