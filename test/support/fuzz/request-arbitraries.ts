// fast-check generators of HTTP requests for the fuzz tests: the app's own routes (so a route added
// later is fuzzed too) with mutated path parameters, query strings, headers and bodies, from garbage
// to near-valid requests with one field wrong.
import fc from "fast-check";
import { MAX_REQUEST_BODY_BYTES } from "../../../src/limits";

export interface FuzzRequest {
	method: string;
	/** Path and query, as sent (percent-encoding and all). */
	url: string;
	headers: Array<[string, string]>;
	body: string | Uint8Array | undefined;
	/** The route it was built from, or "" for a path not built from one. */
	route: string;
}

export interface RouteLike {
	method: string;
	path: string;
}

/** The values a template route's parameters take when they are right. */
export interface KnownNames {
	namespaces: string[];
	names: string[];
	versions: string[];
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** Characters a URL or header may carry only encoded, or that mean something to a router or a parser. */
const AWKWARD_SEGMENTS = [
	"",
	".",
	"..",
	"%2e%2e",
	"%2F",
	"%2f..%2f",
	"%00",
	"%ZZ",
	"%",
	"%E0%A4%A",
	"%C0%AF",
	"%uD800",
	"~",
	"*",
	":task_uuid",
	"{task_uuid}",
	"__proto__",
	"constructor",
	"prototype",
	"null",
	"undefined",
	"NaN",
	"-0",
	"1e309",
	"%20",
	"+",
	";a=b",
	"a?b",
	"%3Fx%3D1",
	"%23frag",
	"latest",
	"ＡＢＣ",
	"😀",
	"e\u0301",
	"\u202e",
];

/** A UUID, or one a character away from it: wrong length, a non-hex digit, braces, case. */
const uuidLike = fc.oneof(
	fc.uuid(),
	fc.uuid().map((u) => u.toUpperCase()),
	fc.uuid().map((u) => u.slice(1)),
	fc.uuid().map((u) => `${u}0`),
	fc.uuid().map((u) => u.replace(/-/g, "")),
	fc.uuid().map((u) => `{${u}}`),
	fc
		.tuple(fc.uuid(), fc.nat(35), fc.constantFrom("g", "G", "-", " ", "\u0000", "é", "%"))
		.map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
);

const hugeString = fc
	.tuple(fc.constantFrom("a", "é", "😀", "%41", "/"), fc.constantFrom(256, 2_049, 10_000, 70_000))
	.map(([unit, n]) => unit.repeat(n));

/** One raw path segment (already as it goes into the URL). */
export function segmentArbitrary(param: string, known: KnownNames): fc.Arbitrary<string> {
	const anyText = fc.oneof(
		fc.string({ maxLength: 40 }).map(encodeURIComponent),
		fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent),
		fc.string({ unit: "binary", maxLength: 20 }).map((s) => {
			try {
				return encodeURIComponent(s);
			} catch {
				return "%ED%A0%80"; // a lone surrogate cannot be encoded; send its bytes instead
			}
		}),
		fc.constantFrom(...AWKWARD_SEGMENTS),
		hugeString,
	);
	const right =
		param === "namespace"
			? fc.constantFrom(...known.namespaces)
			: param === "name"
				? fc.constantFrom(...known.names)
				: param === "version"
					? fc.constantFrom(...known.versions, "latest")
					: fc.uuid();
	return fc.oneof(
		{ weight: 4, arbitrary: right },
		{ weight: param.endsWith("uuid") ? 3 : 1, arbitrary: uuidLike },
		{ weight: 4, arbitrary: anyText },
	);
}

const QUERY_KEYS = [
	"page",
	"per_page",
	"namespace",
	"status",
	"initiator",
	"source_system",
	"wait_seconds",
	"limit",
	"offset",
	"__proto__",
	"constructor",
	"toString",
	"",
	"a[b]",
	"page[]",
];
const QUERY_VALUES = [
	"",
	"0",
	"1",
	"-1",
	"25",
	"100",
	"101",
	"0.5",
	"1e3",
	"1e309",
	"-0",
	"NaN",
	"Infinity",
	"9007199254740993",
	"0x10",
	" 1",
	"1 ",
	"complete",
	"default",
	"%ZZ",
	"%00",
	"%F0%9F%98%80",
	"a%26b%3Dc",
];

const queryValue = fc.oneof(
	fc.constantFrom(...QUERY_VALUES),
	fc.string({ maxLength: 30 }).map(encodeURIComponent),
	fc.integer().map(String),
	fc.double().map(String),
	hugeString.map((s) => encodeURIComponent(s).slice(0, 20_000)),
);

/** `?a=1&a=2&x=…`: known and unknown parameters, repeated, empty, valueless, oversized. */
export const queryArbitrary: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: fc.constant("") },
	{
		weight: 7,
		arbitrary: fc
			.array(
				fc.tuple(
					fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 }).map(encodeURIComponent)),
					fc.option(queryValue, { nil: undefined }),
				),
				{ minLength: 1, maxLength: 6 },
			)
			.map(
				(pairs) =>
					`?${pairs.map(([k, v]) => (v === undefined ? k : `${encodeURIComponent(k)}=${v}`)).join("&")}`,
			),
	},
	{ weight: 1, arbitrary: fc.constantFrom("?", "??", "?&&", "?=", "?=1", "?page=1#frag", "?%") },
);

/** A header value the Headers class accepts: Latin-1 without CR, LF or NUL. */
const headerValue = fc.oneof(
	fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
	fc.string({ unit: "binary", maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e\xa0-\xff]/g, "")),
	fc.constantFrom("", " ", "null", "undefined", "x".repeat(9_000)),
);

const CONTENT_TYPES = [
	"application/json",
	"application/json; charset=utf-8",
	"APPLICATION/JSON",
	"application/json;;;",
	"application/json; charset=latin1",
	"application/problem+json",
	"application/yaml",
	"text/yaml",
	"text/plain",
	"text/x-yaml",
	"application/x-yaml; charset=utf-8",
	"multipart/form-data; boundary=x",
	"application/x-www-form-urlencoded",
	"application/octet-stream",
	"",
	";",
	"*/*",
	"text/",
];

export interface Credentials {
	/** Headers that carry valid credentials holding every permission. */
	valid: Array<[string, string]>;
	/** Headers that carry credentials holding too few permissions. */
	limited: Array<[string, string]>;
	/** Expired, wrongly signed, unsigned or made-up credentials. */
	invalid: Array<[string, string]>;
}

export type CredentialKind = "none" | "valid" | "limited" | "invalid";

const bogusAuth = fc.oneof(
	headerValue.map((v): [string, string] => ["X-API-Key", v]),
	headerValue.map((v): [string, string] => ["Authorization", v]),
	headerValue.map((v): [string, string] => ["Authorization", `Bearer ${v}`]),
	fc
		.tuple(
			fc.base64String({ maxLength: 40 }),
			fc.base64String({ maxLength: 80 }),
			fc.base64String({ maxLength: 40 }),
		)
		.map(([a, b, c]): [string, string] => ["Authorization", `Bearer ${a}.${b}.${c}`]),
	fc.constantFrom<[string, string]>(
		["Authorization", "Bearer"],
		["Authorization", "Bearer "],
		["Authorization", "Basic dXNlcjpwYXNz"],
		["Authorization", "bearer a.b.c"],
		["Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJwZXJtaXNzaW9ucyI6WyJ0YXNrczoqIl19."],
		["X-API-Key", ""],
	),
);

export function credentialsArbitrary(credentials: Credentials | undefined) {
	const none = fc.constant({ kind: "none" as CredentialKind, headers: [] as Array<[string, string]> });
	const bogus = fc
		.array(bogusAuth, { minLength: 1, maxLength: 2 })
		.map((headers) => ({ kind: "invalid" as CredentialKind, headers }));
	if (credentials === undefined) return fc.oneof(none, bogus);
	const pick = (kind: CredentialKind, list: Array<[string, string]>) =>
		fc.constantFrom(...list).map((header) => ({ kind, headers: [header] }));
	return fc.oneof(
		{ weight: 2, arbitrary: none },
		{ weight: 3, arbitrary: bogus },
		{ weight: 2, arbitrary: pick("invalid", credentials.invalid) },
		{ weight: 2, arbitrary: pick("limited", credentials.limited) },
		{ weight: 5, arbitrary: pick("valid", credentials.valid) },
	);
}

const otherHeaders = fc.array(
	fc.oneof(
		fc.constantFrom("Content-Type").chain((name) => fc.constantFrom(...CONTENT_TYPES).map((v) => [name, v])),
		headerValue.map((v) => ["X-Request-Id", v]),
		fc.constantFrom("x-request-id").map((name) => [name, "client-chosen-id_1"]),
		headerValue.map((v) => ["Accept", v]),
		headerValue.map((v) => ["Content-Encoding", v]),
		headerValue.map((v) => ["X-Forwarded-For", v]),
		fc.constantFrom<[string, string]>(["Content-Encoding", "gzip"], ["Transfer-Encoding", "chunked"]),
	) as fc.Arbitrary<[string, string]>,
	{ maxLength: 3 },
);

/** A JSON literal as raw text, including the numbers JSON.stringify never writes. */
const rawJsonValue: fc.Arbitrary<string> = fc.oneof(
	{ weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
	{
		weight: 3,
		arbitrary: fc.constantFrom(
			"1e309",
			"-1e309",
			"-0",
			"0.1e-400",
			"9007199254740993",
			"1.5",
			"NaN",
			"Infinity",
			"0x1F",
			"01",
			"true",
			"null",
			'""',
			'" "',
			'"\\u0000"',
			'"\\ud800"',
			"[]",
			"{}",
			'{"__proto__": {"polluted": true}}',
			'{"constructor": {"prototype": {"polluted": true}}}',
			'"x',
		),
	},
	{ weight: 1, arbitrary: hugeString.map((s) => JSON.stringify(s)) },
	{
		weight: 2,
		arbitrary: fc
			.constantFrom(10, 200, 1_000, 20_000, 200_000)
			.chain((depth) =>
				fc.constantFrom(["[", "]"], ['{"a":', "}"]).map(([open, close]) => ({ depth, open, close })),
			)
			.map(
				({ depth, open, close }) => `${(open as string).repeat(depth)}1${(close as string).repeat(depth)}`,
			),
	},
);

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

/** `{…}` from key/raw-value pairs: keys may repeat, values may be anything `rawJsonValue` writes. */
const rawObject = (entries: Array<[string, string]>) =>
	`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;

/** A valid body, then one field replaced, dropped, repeated or added: the near misses a client makes. */
function nearValid(valid: Record<string, unknown>, extraKeys: string[]): fc.Arbitrary<string> {
	const keys = Object.keys(valid);
	const entries = Object.entries(valid).map(([k, v]): [string, string] => [k, JSON.stringify(v)]);
	return fc.oneof(
		{ weight: 2, arbitrary: fc.constant(rawObject(entries)) },
		fc
			.tuple(fc.nat(keys.length - 1), rawJsonValue)
			.map(([i, raw]) => rawObject(entries.map(([k, v], j) => [k, j === i ? raw : v]))),
		fc.nat(keys.length - 1).map((i) => rawObject(entries.filter((_, j) => j !== i))),
		// An object-valued field (a task's context, say) holding anything, keys of every kind included.
		fc
			.tuple(
				fc.nat(keys.length - 1),
				fc.array(
					fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 })), rawJsonValue),
					{
						maxLength: 3,
					},
				),
			)
			.map(([i, inner]) => rawObject(entries.map(([k, v], j) => [k, j === i ? rawObject(inner) : v]))),
		fc
			.tuple(fc.nat(keys.length - 1), rawJsonValue)
			.map(([i, raw]) => rawObject([...entries, [keys[i] as string, raw]])),
		fc
			.tuple(fc.oneof(fc.constantFrom(...extraKeys), fc.string({ maxLength: 20 })), rawJsonValue)
			.map(([k, raw]) => rawObject([...entries, [k, raw]])),
	);
}

export const VALID_TASK_REQUEST = {
	name: "order_processing",
	namespace: "default",
	context: { order_id: "o-1" },
	initiator: "api:checkout",
	source_system: "web",
	reason: "New order",
	tags: ["a"],
	priority: 0,
};

export const VALID_STEP_ACTION = { action_type: "resolve_manually", reason: "ops", resolved_by: "me" };

function templateYaml(handler: string): string {
	return [
		"name: order_processing",
		"namespace_name: default",
		"version: 1.0.0",
		"steps:",
		"  - name: a",
		"    handler:",
		`      callable: ${handler}`,
	].join("\n");
}

/** Bodies of every kind, those a route takes weighted up for it; `handler` names a registered handler. */
export function bodyArbitrary(handler: string, route: string): fc.Arbitrary<string | Uint8Array | undefined> {
	const yaml = templateYaml(handler);
	const favoured = (family: string) => (route.includes(family) ? 12 : 2);
	return fc.oneof(
		{ weight: 2, arbitrary: fc.constant(undefined) },
		{ weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }) },
		{ weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
		{ weight: 3, arbitrary: rawJsonValue },
		{
			weight: route === "POST /v1/tasks" ? 12 : 2,
			arbitrary: nearValid(VALID_TASK_REQUEST, ["contxt", "idempotency_key", ...PROTOTYPE_KEYS]),
		},
		{
			weight: favoured("workflow_steps"),
			arbitrary: fc
				.constantFrom(
					VALID_STEP_ACTION,
					{ action_type: "reset_for_retry", reason: "r", reset_by: "me" },
					{
						action_type: "complete_manually",
						completion_data: { result: { ok: true } },
						reason: "r",
						completed_by: "me",
					},
				)
				.chain((action) => nearValid(action, ["action", ...PROTOTYPE_KEYS])),
		},
		{
			weight: favoured("validate"),
			arbitrary: fc.oneof(
				fc.constant(yaml),
				fc.constant(JSON.stringify({ yaml })),
				fc.tuple(fc.nat(yaml.length), fc.string({ maxLength: 20 })).map(([i, s]) => yaml.slice(0, i) + s),
				nearValid({ yaml }, ["yml", ...PROTOTYPE_KEYS]),
			),
		},
		{
			weight: 1,
			arbitrary: fc.constantFrom(MAX_REQUEST_BODY_BYTES - 100, MAX_REQUEST_BODY_BYTES + 1).map((n) =>
				rawObject([
					["name", '"order_processing"'],
					["context", JSON.stringify({ blob: "x".repeat(n) })],
				]),
			),
		},
	);
}

const BODILESS = new Set(["GET", "HEAD"]);

function fillPath(path: string, known: KnownNames): fc.Arbitrary<string> {
	const parts = path.split("/");
	return fc
		.tuple(
			...parts.map((part) =>
				part.startsWith(":")
					? segmentArbitrary(part.slice(1).replace(/[{?].*$/, ""), known)
					: part === "*"
						? fc.oneof(fc.constantFrom("ui", "openapi.json", "x"), segmentArbitrary("rest", known))
						: fc.constant(part),
			),
		)
		.map((filled) => filled.join("/"));
}

/** A path near the routes: a route's path with a segment dropped, doubled, added or cased differently. */
function strayPath(routes: RouteLike[], known: KnownNames): fc.Arbitrary<string> {
	return fc
		.tuple(fc.constantFrom(...routes.map((r) => r.path)), fc.nat(), segmentArbitrary("x", known))
		.chain(([path, n, extra]) =>
			fillPath(path, known).map((filled) => {
				const parts = filled.split("/");
				const at = 1 + (n % Math.max(1, parts.length - 1));
				switch (n % 6) {
					case 0:
						return `${filled}/`;
					case 1:
						return `${filled}/${extra}`;
					case 2:
						return parts.filter((_, i) => i !== at).join("/") || "/";
					case 3:
						return filled.replace("/", "//");
					case 4:
						return filled.toUpperCase();
					default:
						return `/${extra}${filled}`;
				}
			}),
		);
}

/** A request at one of `routes` (mostly with its own method) or near them, with any headers and body. */
export function requestArbitrary(
	routes: RouteLike[],
	known: KnownNames,
	handler: string,
	credentials: Credentials | undefined,
): fc.Arbitrary<FuzzRequest & { credentials: CredentialKind }> {
	const routed = fc.constantFrom(...routes).chain((route) =>
		fc.record({
			route: fc.constant(`${route.method} ${route.path}`),
			method: fc.oneof(
				{ weight: 5, arbitrary: fc.constant(route.method) },
				{ weight: 1, arbitrary: fc.constantFrom(...METHODS) },
			),
			path: fillPath(route.path, known),
		}),
	);
	const stray = fc.record({
		route: fc.constant(""),
		method: fc.constantFrom(...METHODS),
		path: strayPath(routes, known),
	});
	return fc
		.oneof({ weight: 6, arbitrary: routed }, { weight: 1, arbitrary: stray })
		.chain((target) =>
			fc.record({
				target: fc.constant(target),
				query: queryArbitrary,
				headers: otherHeaders,
				auth: credentialsArbitrary(credentials),
				body: bodyArbitrary(handler, target.route),
			}),
		)
		.map(({ target, query, headers, auth, body }) => {
			const request = {
				method: target.method,
				url: `${target.path}${query}`,
				headers: [...auth.headers, ...headers],
				body: BODILESS.has(target.method) ? undefined : body,
				route: target.route,
				credentials: auth.kind,
			};
			// A counterexample is printed shortened: a 1 MB body would bury the report.
			return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
		});
}

const clip = (text: string, max = 240) =>
	text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/** One request as a line or two, long parts clipped. */
export function describeRequest(request: FuzzRequest): string {
	const body =
		request.body === undefined
			? "no body"
			: typeof request.body === "string"
				? `body ${clip(JSON.stringify(request.body))}`
				: `body of ${request.body.length} random bytes`;
	const headers = request.headers.map(([k, v]) => `${k}: ${clip(v, 60)}`).join("; ");
	return `${request.method} ${clip(request.url)} [${headers}] ${body}`;
}
