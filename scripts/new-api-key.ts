// `npm run auth:new-key -- --id ops --permissions tasks:*,steps:read`: mints a random API key, prints
// it once (give it to the caller) and the entry to add to the TASKER_API_KEYS secret (its hash only).
import { parseArgs } from "node:util";
import { sha256Hex } from "../src/auth/api-keys";
import { isValidGrant, PERMISSIONS } from "../src/auth/permissions";

const { values } = parseArgs({
	options: { id: { type: "string" }, permissions: { type: "string" } },
});
const id = values.id?.trim();
const permissions = (values.permissions ?? "")
	.split(",")
	.map((p) => p.trim())
	.filter((p) => p !== "");
const unknown = permissions.filter((p) => !isValidGrant(p));
if (!id || permissions.length === 0 || unknown.length > 0) {
	console.error("usage: npm run auth:new-key -- --id <name> --permissions <p1,p2,...>");
	if (unknown.length > 0) console.error(`unknown permissions: ${unknown.join(", ")}`);
	console.error(`permissions: ${PERMISSIONS.join(", ")}, or resource:* (e.g. tasks:*)`);
	process.exit(2);
}
const bytes = crypto.getRandomValues(new Uint8Array(24));
const key = `tk_${Buffer.from(bytes).toString("base64url")}`;
console.log(`API key for ${id} (shown once; store it with the caller):\n  ${key}\n`);
console.log("Entry for TASKER_API_KEYS (a JSON list; `npx wrangler secret put TASKER_API_KEYS`):");
console.log(`  ${JSON.stringify({ id, sha256: await sha256Hex(key), permissions })}`);
