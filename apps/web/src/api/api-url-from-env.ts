/**
 * The api's base URL from the server's API_URL, read when a request is served (never baked in
 * by `next build`). The browser's SDK, the public article pages and the feed pass-through all
 * reach the api here.
 */
export const apiUrlFromEnv = () => process.env.API_URL || 'http://127.0.0.1:4000';
