// Writes the run's outputs: raw JSON in bench/out/ (git-ignored), the SVG chart, and BENCHMARKS.md's results.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { machineLine } from "../lib/machine";
import { MARKDOWN_FILE, OUT_DIR, SVG_FILE } from "../prepare/bench-paths";
import type { Figures } from "./figures";
import { renderResults, writeMarkdown } from "./markdown";
import type { RunInfo } from "./run-info";
import { renderChart } from "./svg-chart";
import type { TargetResult } from "./targets";

export interface Outputs {
	json: string;
	svg: string;
	markdown: string;
	/** The generated Markdown section, also printed to the console. */
	results: string;
	/** The files this run wrote. */
	written: string[];
}

export async function writeOutputs(
	info: RunInfo,
	figures: Figures,
	targets: readonly TargetResult[],
	/** The raw samples, saved as JSON; null when re-rendering a saved run (its JSON exists already). */
	raw: unknown | null,
): Promise<Outputs> {
	const stamp = info.date.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
	// A run with a CPU hog beside it is reported apart: its own files, and BENCHMARKS.md and the chart left alone.
	const name = `${info.mode.name}${info.hog ? "-hog" : ""}`;
	const json = path.join(OUT_DIR, `bench-${name}-${stamp}.json`);
	if (raw !== null) {
		await mkdir(OUT_DIR, { recursive: true });
		// Microseconds are as fine as performance.now() is meaningful here; more digits are only noise.
		const rounded = (_key: string, value: unknown) =>
			typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
		const content = `${JSON.stringify({ info, targets, figures, raw }, rounded, "\t")}\n`;
		await writeFile(json, content);
		await writeFile(path.join(OUT_DIR, `bench-${name}-latest.json`), content);
	}
	const chartPath = path.relative(path.dirname(MARKDOWN_FILE), SVG_FILE);
	if (info.hog) {
		const results = renderResults(info, figures, targets, null);
		const markdown = path.join(OUT_DIR, `bench-${name}-${stamp}.md`);
		await writeFile(markdown, `${results}\n`);
		return { json, svg: SVG_FILE, markdown, results, written: [json, markdown] };
	}

	const subtitle = `${info.mode.name} run, ${info.date.slice(0, 10)}, ${machineLine(info.machine).split(";")[0]}`;
	await writeFile(SVG_FILE, renderChart(figures, subtitle));
	const results = renderResults(info, figures, targets, chartPath);
	await writeMarkdown(MARKDOWN_FILE, results);
	return { json, svg: SVG_FILE, markdown: MARKDOWN_FILE, results, written: [MARKDOWN_FILE, SVG_FILE, json] };
}
