import { boundary } from "@/lib/api/boundary";
import { deleteFirewallRoute, getFirewallRoute, putFirewallRoute } from "@/lib/api/firewalls";

export const GET = boundary(getFirewallRoute);
export const PUT = boundary(putFirewallRoute);
export const DELETE = boundary(deleteFirewallRoute);
