export { getFeedRoute as GET, deleteFeedRoute as DELETE } from "@/lib/api/feeds";
