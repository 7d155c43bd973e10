import { boundary } from "@/lib/api/boundary";
import { deleteFirewallRoute, getFirewallRoute, putFirewallRoute } from "@/lib/api/firewalls";
import { notAllowed } from "@/lib/api/guard";

export const GET = boundary(getFirewallRoute);
export const PUT = boundary(putFirewallRoute);
export const DELETE = boundary(deleteFirewallRoute);
export { notAllowed as POST, notAllowed as PATCH, notAllowed as OPTIONS };
