// The reference benchmark's four workflow shapes (tasker-core §10-11), as bench/templates/ defines them.

export interface ReferenceShape {
	/** The template in bench/templates/ (namespace `bench`). */
	template: string;
	label: string;
	steps: number;
	/** Steps on the longest path. */
	depth: number;
}

export const LINEAR: ReferenceShape = { template: "linear", label: "linear", steps: 4, depth: 4 };

export const REFERENCE_SHAPES: readonly ReferenceShape[] = [
	LINEAR,
	{ template: "diamond", label: "diamond", steps: 4, depth: 3 },
	{ template: "tree", label: "tree", steps: 8, depth: 4 },
	{ template: "mixed_dag", label: "mixed DAG", steps: 7, depth: 4 },
];
