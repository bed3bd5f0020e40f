// Where the benchmark's inputs and outputs live, in one place for the preparation, the runner and the reports.
import path from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

export const BENCH_DIR = path.join(PROJECT_ROOT, "bench");
/** Everything written at bench time that is not a result (git-ignored). */
export const GENERATED_DIR = path.join(BENCH_DIR, ".generated");
export const SCALE_TEMPLATES_DIR = path.join(GENERATED_DIR, "templates");
export const SHAPES_REGISTRY_FILE = path.join(GENERATED_DIR, "shapes-registry.ts");
export const SCALE_REGISTRY_FILE = path.join(GENERATED_DIR, "scale-registry.ts");
/** The bench instance's Durable Object, Queue and Workflow state: fresh for every run. */
export const STATE_DIR = path.join(GENERATED_DIR, "state");
export const SHAPE_TEMPLATES_DIR = path.join(BENCH_DIR, "templates");
export const BENCH_HANDLERS_DIR = path.join(BENCH_DIR, "handlers");
export const BENCH_CONFIG = path.join(BENCH_DIR, "wrangler.bench.toml");
export const OUT_DIR = path.join(BENCH_DIR, "out");
export const SVG_FILE = path.join(BENCH_DIR, "results.svg");
export const MARKDOWN_FILE = path.join(PROJECT_ROOT, "BENCHMARKS.md");
/** The handler every bench template uses (bench/handlers/noop-handler.ts). */
export const BENCH_CALLABLE = "BenchNoopHandler";
