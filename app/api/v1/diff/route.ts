import { boundary } from "@/lib/api/boundary";
import { postDiffRoute } from "@/lib/api/firewalls";

export const POST = boundary(postDiffRoute);
