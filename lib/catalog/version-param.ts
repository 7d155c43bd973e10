/** The `version` URL parameter of /catalog, /compare and the export API: a positive integer, else the newest (undefined). */
export function versionParam(value: string | string[] | null | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^[1-9][0-9]{0,8}$/.test(text)) return undefined;
  return Number(text);
}
