export { listFeedsRoute as GET, createFeedRoute as POST } from "@/lib/api/feeds";
