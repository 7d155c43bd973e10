import type { Parser } from "../types";
import { linuxParsers } from "./linux";
import { networkParsers } from "./network";
import { hostParsers } from "./hosts";

/** Every vendor format, in detection order. Groups so their owners can work apart. */
export const vendorParsers: readonly Parser[] = [...linuxParsers, ...networkParsers, ...hostParsers];
