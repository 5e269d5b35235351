/**
 * Adds `name=value` to a link's query unless the link already carries a value for `name`
 * (affiliate tools use the same parameters: theirs wins). The rest of the URL, fragment
 * included, is kept byte for byte. Links that are not absolute http(s) URLs come back unchanged.
 * Shared by the server-side link helpers and the browser decorator, so it stays tiny.
 */
export function withQueryParam(url: string, name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.searchParams.has(name)) return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const separator = !beforeHash.includes('?') ? '?' : /[?&]$/.test(beforeHash) ? '' : '&';
  return `${beforeHash}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}${hash}`;
}
