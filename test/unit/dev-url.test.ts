// Where `npm run dev` looks for the server it started, to sync the templates' schedules with it and no other.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { devServerUrl } from "../../scripts/lib/dev-url";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const projectConfig = (path: string) => {
	try {
		return readFileSync(resolve(PROJECT_ROOT, path), "utf8");
	} catch {
		return undefined;
	}
};
const only = (files: Record<string, string>) => (path: string) => files[path];

describe("devServerUrl", () => {
	it("is the project's own dev port with no arguments (wrangler.toml's [dev])", () => {
		expect(devServerUrl([], projectConfig)).toBe("http://localhost:8787");
	});

	it("takes --port in either spelling, before the config's port", () => {
		expect(devServerUrl(["--port", "8790"], projectConfig)).toBe("http://localhost:8790");
		expect(devServerUrl(["--var", "PULL_NAMESPACES:default", "--port=8791"], projectConfig)).toBe(
			"http://localhost:8791",
		);
	});

	it("reads the dev section of the config wrangler is given, TOML or JSONC; an argument wins over it", () => {
		const toml = `name = "x"\n[vars]\nport = 1\n[dev]\n# port = 2\nip = "127.0.0.1"\nport = 9100\n\n[[queues.consumers]]\nport = 3\n`;
		expect(devServerUrl(["-c", "a.toml"], only({ "a.toml": toml }))).toBe("http://127.0.0.1:9100");
		expect(devServerUrl(["-c", "a.toml", "--ip", "0.0.0.0"], only({ "a.toml": toml }))).toBe(
			"http://localhost:9100",
		);
		const jsonc = `{\n  // the dev server\n  "vars": { "port": 1 },\n  "dev": {\n    "port": 9200,\n    "local_protocol": "https"\n  }\n}`;
		expect(devServerUrl(["--config=b.jsonc"], only({ "b.jsonc": jsonc }))).toBe("https://localhost:9200");
		// The first config is the primary Worker's, the one that serves the port (dev:workers).
		expect(
			devServerUrl(
				["-c", "wrangler.billing.jsonc", "-c", "examples/billing-worker/wrangler.toml"],
				projectConfig,
			),
		).toBe("http://localhost:8787");
	});

	it("falls back to wrangler's default when the config names no dev port or cannot be read", () => {
		expect(
			devServerUrl([], only({ "wrangler.toml": `name = "x"\n[dev]\nip = "localhost"\n[vars]\nport = 5\n` })),
		).toBe("http://localhost:8787");
		expect(devServerUrl(["-c", "missing.toml"], only({}))).toBe("http://localhost:8787");
	});

	it("uses the address given, as localhost when it is every interface, and https when asked", () => {
		expect(devServerUrl(["--ip", "127.0.0.2", "--port", "8790"], projectConfig)).toBe(
			"http://127.0.0.2:8790",
		);
		expect(devServerUrl(["--ip", "0.0.0.0"], projectConfig)).toBe("http://localhost:8787");
		expect(devServerUrl(["--ip=::1"], projectConfig)).toBe("http://[::1]:8787");
		expect(devServerUrl(["--local-protocol", "https"], projectConfig)).toBe("https://localhost:8787");
	});
});
