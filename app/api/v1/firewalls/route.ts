import { boundary } from "@/lib/api/boundary";
import { createFirewallRoute, listFirewallsRoute } from "@/lib/api/firewalls";

export const GET = boundary(listFirewallsRoute);
export const POST = boundary(createFirewallRoute);
