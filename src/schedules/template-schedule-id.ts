// A template's schedule has an id derived from the template's namespace and name and the schedule's
// name, so that every deploy finds the schedule the previous one made (and two deploys at once make
// one schedule). It is a UUID of version 8 (RFC 9562's custom version), hashed with SHA-256; the
// schedules made by POST /v1/schedules are version 7, so the version digit alone tells them apart.

const ID_PREFIX = "tasker-edge template schedule";

export async function templateScheduleId(namespace: string, name: string, schedule: string): Promise<string> {
	const text = [ID_PREFIX, namespace, name, schedule].join("\u0000");
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
	const bytes = digest.slice(0, 16);
	bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
	bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
	const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a schedule id is a template's (version 8), not one made by POST /v1/schedules (version 7). */
export const isTemplateScheduleId = (scheduleId: string): boolean => scheduleId.charAt(14) === "8";
