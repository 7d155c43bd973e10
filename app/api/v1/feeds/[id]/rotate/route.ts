export { rotateFeedRoute as POST } from "@/lib/api/feeds";
