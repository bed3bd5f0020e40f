// Re-renders bench/results.svg and BENCHMARKS.md's results from a saved run's raw samples (bench/out/*.json)
// without measuring again, recomputing figures and targets with the current code: for changing the report, or
// restoring the full run's figures after a quick run. Usage: tsx bench/render.ts [bench/out/bench-full-latest.json]
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LoadResult } from "./measure/load";
import type { ScaleResult } from "./measure/scale";
import type { ShapesResult } from "./measure/shapes";
import { OUT_DIR } from "./prepare/bench-paths";
import { computeFigures } from "./report/figures";
import type { RunInfo } from "./report/run-info";
import { evaluateTargets } from "./report/targets";
import { writeOutputs } from "./report/write-outputs";

const file = process.argv[2] ?? path.join(OUT_DIR, "bench-full-latest.json");
try {
	const saved = JSON.parse(await readFile(file, "utf8")) as {
		info: RunInfo;
		raw: { shapes: ShapesResult; scale: ScaleResult; load: LoadResult };
	};
	const { shapes, scale, load } = saved.raw;
	const figures = computeFigures(shapes, scale, load);
	const targets = evaluateTargets(figures, scale.attempts10k - scale.failures10k.length, scale.attempts10k);
	const outputs = await writeOutputs(saved.info, figures, targets, null);
	const relative = (p: string) => path.relative(process.cwd(), p);
	console.log(
		`rendered ${relative(file)} into ${outputs.written
			.filter((f) => f !== file)
			.map(relative)
			.join(" and ")}`,
	);
} catch (error) {
	console.error(`cannot render ${file}: ${(error as Error).message}`);
	process.exitCode = 1;
}
