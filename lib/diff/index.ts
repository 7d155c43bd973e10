export type * from "./types";
export { DEFAULT_DIFF_OPTIONS, diff } from "./diff";
