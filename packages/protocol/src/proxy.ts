/**
 * The response header with which `/proxy/*` says which PingOne API base it called, e.g.
 * `https://api.pingone.com` (DESIGN §4.10): PingOne's HAL links are absolute, and a client
 * following them checks each against this base before it asks for the next page, so that a
 * link elsewhere is never read as a path on the integration's API.
 */
export const PROXY_API_BASE_HEADER = 'pingone-connect-api-base';
