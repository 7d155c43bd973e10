export { revokeFeedRoute as POST } from "@/lib/api/feeds";
