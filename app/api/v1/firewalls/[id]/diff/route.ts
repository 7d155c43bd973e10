import { boundary } from "@/lib/api/boundary";
import { firewallDiffRoute } from "@/lib/api/firewalls";

export const GET = boundary(firewallDiffRoute);
