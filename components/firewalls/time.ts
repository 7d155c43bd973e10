/** UTC, minute precision: the same text on the server and in every browser, so hydration never disagrees. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
