import type { Parser } from "../types";
import { linuxParsers } from "./linux";
import { networkParsers } from "./network";

/** Every vendor format, in detection order. Two groups so their owners can work apart. */
export const vendorParsers: readonly Parser[] = [...linuxParsers, ...networkParsers];
