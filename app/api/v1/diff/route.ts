export { postDiffRoute as POST } from "@/lib/api/firewalls";
