// Order statistics for the benchmark samples: every figure is a median with its spread (p10-p90 and IQR).

export interface Summary {
	n: number;
	median: number;
	p10: number;
	p25: number;
	p75: number;
	p90: number;
	p95: number;
	min: number;
	max: number;
	mean: number;
}

export function summarize(values: readonly number[]): Summary {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		n: sorted.length,
		median: percentile(sorted, 0.5),
		p10: percentile(sorted, 0.1),
		p25: percentile(sorted, 0.25),
		p75: percentile(sorted, 0.75),
		p90: percentile(sorted, 0.9),
		p95: percentile(sorted, 0.95),
		min: sorted[0] ?? Number.NaN,
		max: sorted[sorted.length - 1] ?? Number.NaN,
		mean: sorted.length === 0 ? Number.NaN : sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
	};
}

/** Linear interpolation between the closest ranks (numpy's default), on sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = q * (sorted.length - 1);
	const low = Math.floor(rank);
	const lower = sorted[low] ?? Number.NaN;
	const upper = sorted[Math.min(low + 1, sorted.length - 1)] ?? lower;
	return lower + (upper - lower) * (rank - low);
}

/** Every value divided by `divisor` (e.g. a task's time into time per step). */
export function scaleSummary(summary: Summary, divisor: number): Summary {
	const f = (v: number) => v / divisor;
	return {
		n: summary.n,
		median: f(summary.median),
		p10: f(summary.p10),
		p25: f(summary.p25),
		p75: f(summary.p75),
		p90: f(summary.p90),
		p95: f(summary.p95),
		min: f(summary.min),
		max: f(summary.max),
		mean: f(summary.mean),
	};
}

export interface Ratio {
	/** median(a) / median(b). */
	ofMedians: number;
	/** Spread of a_i / b_i over runs paired in time (same round), when the samples are paired. */
	paired: Summary | null;
}

/**
 * Compares two series measured in the same run. The ratio of medians is the figure; when both series were
 * interleaved round by round, the spread of the per-round ratios shows how stable that comparison is.
 */
export function ratio(a: readonly number[], b: readonly number[], paired: boolean): Ratio {
	const ofMedians = summarize(a).median / summarize(b).median;
	if (!paired || a.length !== b.length || a.length === 0) return { ofMedians, paired: null };
	return { ofMedians, paired: summarize(a.map((v, i) => v / (b[i] ?? Number.NaN))) };
}
