// What the figures were measured on: printed at the start and recorded with every result.
import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

export interface Machine {
	cpu: string;
	cores: number;
	memoryGiB: number;
	node: string;
	wrangler: string;
	workerd: string;
	os: string;
}

export async function describeMachine(): Promise<Machine> {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model.trim() ?? "unknown CPU",
		cores: cpus.length,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		wrangler: await packageVersion("wrangler"),
		workerd: await packageVersion("workerd"),
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

export function machineLine(m: Machine): string {
	return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; wrangler ${m.wrangler} (workerd ${m.workerd}); ${m.os}`;
}

async function packageVersion(name: string): Promise<string> {
	try {
		const text = await readFile(path.join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8");
		return String((JSON.parse(text) as { version?: unknown }).version ?? "unknown");
	} catch {
		return "unknown";
	}
}

/** workerd processes running now (before ours starts: someone else's), read from /proc; 0 where there is none. */
export async function countWorkerdProcesses(): Promise<number> {
	let found = 0;
	for (const entry of await readdir("/proc").catch(() => [] as string[])) {
		if (!/^\d+$/.test(entry)) continue;
		const comm = await readFile(`/proc/${entry}/comm`, "utf8").catch(() => "");
		if (comm.trim() === "workerd") found++;
	}
	return found;
}

/** The commit measured, and whether the engine's files differed from it (someone's work in progress). */
export function describeRevision(): { commit: string; engineDirty: boolean } {
	const git = (...args: string[]) => {
		try {
			return execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
		} catch {
			return "";
		}
	};
	return {
		commit: git("rev-parse", "--short", "HEAD") || "unknown",
		engineDirty: git("status", "--porcelain", "--", "src", "durable-objects", "templates") !== "",
	};
}
