// Where a `wrangler dev` will answer, from the arguments it is given and its config file: `npm run dev` syncs
// the templates' schedules with the server it started, whatever port it was given, and never with another
// one (an instance already on 8787, or a deployed Worker named by TASKER_URL).

/** wrangler dev's port when neither its arguments nor its config name one. */
export const WRANGLER_DEFAULT_PORT = 8787;
/** The config wrangler reads when given none (this project's). */
export const DEFAULT_CONFIG = "wrangler.toml";

/** Addresses that mean "every interface": the server is reached on this machine as localhost. */
const ANY_ADDRESS = new Set(["0.0.0.0", "::", "*"]);

/**
 * The dev server's base URL. `readConfig` returns a config file's text, or undefined when it cannot be
 * read (then wrangler's defaults apply). An argument wins over the config's dev section, as in wrangler.
 */
export function devServerUrl(
	args: readonly string[],
	readConfig: (path: string) => string | undefined,
): string {
	const config = readConfig(flagValue(args, ["--config", "-c"]) ?? DEFAULT_CONFIG);
	const setting = (flag: string, key: string) => flagValue(args, [flag]) ?? devSetting(config, key);
	const ip = setting("--ip", "ip");
	const host = ip === undefined || ANY_ADDRESS.has(ip) ? "localhost" : ip.includes(":") ? `[${ip}]` : ip;
	const protocol = setting("--local-protocol", "local_protocol") === "https" ? "https" : "http";
	return `${protocol}://${host}:${setting("--port", "port") ?? WRANGLER_DEFAULT_PORT}`;
}

/** The value of the first of `names` in the arguments, as `--name value` or `--name=value`. */
function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] as string;
		for (const name of names) {
			if (arg === name) return args[i + 1];
			if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
		}
	}
	return undefined;
}

/**
 * A key of the config's dev section (a number or a quoted string): `[dev]` in TOML, `"dev": { … }` in
 * JSON or JSONC. Absent when the section or the key is.
 */
function devSetting(text: string | undefined, key: string): string | undefined {
	if (text === undefined) return undefined;
	const value = `(?:"([^"]*)"|(\\d+))`;
	const toml = /^\s*\[dev\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text)?.[1];
	const inToml = toml === undefined ? null : new RegExp(`^\\s*${key}\\s*=\\s*${value}`, "m").exec(toml);
	const found = inToml ?? new RegExp(`"dev"\\s*:\\s*\\{[^}]*?"${key}"\\s*:\\s*${value}`).exec(text);
	return found === null ? undefined : (found[1] ?? found[2]);
}
