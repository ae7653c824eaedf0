/**
 * A request's path and query on `origin`, for a redirect to the configured origin. The path is set
 * as a path, never resolved as a URL reference: resolved, a path starting with `//` (`//evil.example/x`,
 * which a request can carry) is read as another host. Pure, so it is unit-tested.
 */
export function onOrigin(origin: string, pathname: string, search: string): URL {
  const url = new URL(origin);
  url.pathname = pathname;
  url.search = search;
  return url;
}
