// A browser tab for Node: cookie jar plus an HTTPS client pinned to the site CA.
export { CookieJar, type Cookie, type CookieJarOptions, type SameSite } from './cookie-jar';
export {
  BrowserClient,
  BrowserRequestError,
  classifyError,
  type BrowserClientOptions,
  type BrowserErrorCode,
  type BrowserExchange,
  type BrowserResponse,
  type RedirectHop,
  type RequestOptions,
} from './browser-client';
