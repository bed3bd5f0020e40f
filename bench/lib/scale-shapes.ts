// The scale cases' DAGs as data (fan-out, chain, layered grids): one definition for the YAML templates
// generated at bench time and for the figures that divide by their step counts.

export interface DagStep {
	name: string;
	dependencies: string[];
}

export interface ScaleShape {
	/** The template's name, in the `bench` namespace. */
	template: string;
	/** What the reports call it. */
	label: string;
	description: string;
	steps: number;
	/** Steps on the longest path: the sequential stages the task cannot avoid. */
	depth: number;
	build(): DagStep[];
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** One root, `width` steps that each depend on it, one join that depends on all of them. */
export function fanOut(width: number): ScaleShape {
	return {
		template: `fan_out_${width}`,
		label: `fan-out ${width}`,
		description: `1 root -> ${width} parallel steps -> 1 join`,
		steps: width + 2,
		depth: 3,
		build() {
			const workers = Array.from({ length: width }, (_, i) => `w${pad(i, 4)}`);
			return [
				{ name: "root", dependencies: [] },
				...workers.map((name) => ({ name, dependencies: ["root"] })),
				{ name: "join", dependencies: workers },
			];
		},
	};
}

/** `length` steps, each depending on the one before. */
export function chain(length: number): ScaleShape {
	return {
		template: `chain_${length}`,
		label: `chain ${length}`,
		description: `${length} sequential steps`,
		steps: length,
		depth: length,
		build() {
			return Array.from({ length }, (_, i) => ({
				name: `c${pad(i, 4)}`,
				dependencies: i === 0 ? [] : [`c${pad(i - 1, 4)}`],
			}));
		},
	};
}

/**
 * `layers` layers of `width` steps; step i of layer k depends on step i of layer k-1 only. One parent per step
 * on purpose: a step's inputs are the results of all its ancestors, so a full layer-to-layer fan-in would make
 * every step of the 10,000-step grid read thousands of results and measure that read, not orchestration.
 */
export function grid(layers: number, width: number): ScaleShape {
	const steps = layers * width;
	const name = (k: number, i: number) => `l${pad(k, 3)}_s${pad(i, 3)}`;
	return {
		template: `grid_${layers}x${width}`,
		label: `${steps.toLocaleString("en-US")} steps (${layers} layers of ${width})`,
		description: `${layers} layers of ${width}; step i of layer k depends on step i of layer k-1`,
		steps,
		depth: layers,
		build() {
			const all: DagStep[] = [];
			for (let k = 0; k < layers; k++) {
				for (let i = 0; i < width; i++) {
					all.push({ name: name(k, i), dependencies: k === 0 ? [] : [name(k - 1, i)] });
				}
			}
			return all;
		},
	};
}

export const FAN_OUT_1000 = fanOut(1000);
export const CHAIN_200 = chain(200);
/** `npm run bench:depth`: a step's inputs and their cost, shallow against deep. */
export const CHAIN_10 = chain(10);
export const CHAIN_1000 = chain(1000);
/** The flatness baseline. */
export const GRID_100 = grid(10, 10);
export const GRID_10K = grid(100, 100);

export const SCALE_SHAPES: readonly ScaleShape[] = [
	FAN_OUT_1000,
	CHAIN_200,
	GRID_100,
	GRID_10K,
	CHAIN_10,
	CHAIN_1000,
];
