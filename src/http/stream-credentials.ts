// A browser cannot set headers on a WebSocket, so the live stream alone also takes its credentials
// from the query (`api_key`, `access_token`). Anywhere else, credentials come from headers only.
const STREAM_PATH = /^\/v1\/tasks\/[^/]+\/stream\/?$/;

/** The headers to authenticate: the request's, plus the stream's query credentials where it has them. */
export function credentialHeaders(request: Request): Headers {
	const url = new URL(request.url);
	if (request.method !== "GET" || !STREAM_PATH.test(url.pathname)) return request.headers;
	const apiKey = url.searchParams.get("api_key");
	const token = url.searchParams.get("access_token");
	if (apiKey === null && token === null) return request.headers;
	const headers = new Headers(request.headers);
	if (apiKey !== null && !headers.has("X-API-Key")) headers.set("X-API-Key", apiKey);
	if (token !== null && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
	return headers;
}
