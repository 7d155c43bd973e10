import { boundary } from "@/lib/api/boundary";
import { postDiffRoute } from "@/lib/api/firewalls";
import { notAllowed } from "@/lib/api/guard";

export const POST = boundary(postDiffRoute);
export {
  notAllowed as GET,
  notAllowed as HEAD,
  notAllowed as PUT,
  notAllowed as PATCH,
  notAllowed as DELETE,
  notAllowed as OPTIONS,
};
