import type { PublishedEntry } from "../catalog/types";

/** The seed catalog (Freshworks NAT IPs), as tests see it: every CIDR is for both products. */
const SEED: Record<string, string[]> = {
  US: "52.1.37.96 52.1.32.88 18.208.240.77 52.201.75.8 34.231.139.135 34.231.245.167 44.206.73.232 44.206.73.233 44.206.73.234 44.206.73.235 44.206.73.236 44.206.73.237 44.206.73.238 44.206.73.239".split(" "),
  EU: "18.184.146.22 18.197.127.133 3.71.140.232 52.29.254.13 52.57.253.205 18.194.170.216 3.74.148.8 3.74.148.9 3.74.148.10 3.74.148.11".split(" "),
  IN: "13.232.152.211 52.66.184.184 35.154.161.243 13.126.85.255 13.234.127.182 43.204.166.208 43.204.166.209 43.204.166.210 43.204.166.211".split(" "),
  AU: "3.105.197.171 13.210.157.231 54.206.10.178 3.104.16.220 13.238.97.24 13.238.188.219 3.26.254.196 3.26.254.197 3.26.254.198 3.26.254.199".split(" "),
};

export const PRODUCTS = ["Freshchat", "Freddy Self-service"];

export const SEED_CATALOG: PublishedEntry[] = Object.entries(SEED).flatMap(([region, ips]) =>
  ips.map((ip) => ({ cidr: `${ip}/32`, region, products: PRODUCTS })),
);
