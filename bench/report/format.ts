// Number formatting shared by the Markdown, the console and the chart: one way to print a time or a ratio.
import type { Ratio, Summary } from "../lib/stats";

/** Milliseconds with sensible precision: 0.42 ms, 4.2 ms, 42 ms, 4.20 s. */
export function ms(value: number): string {
	if (!Number.isFinite(value)) return "n/a";
	if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
	if (value >= 100) return `${value.toFixed(0)} ms`;
	if (value >= 10) return `${value.toFixed(1)} ms`;
	return `${value.toFixed(2)} ms`;
}

/** Median with p10-p90: `42.1 ms (38.0-51.2)`. */
export function spread(s: Summary): string {
	if (s.n === 0) return "n/a";
	if (s.n === 1) return `${ms(s.median)} (1 run)`;
	return `${ms(s.median)} (${bare(s.p10)}–${bare(s.p90)})`;
}

/** The p10/p90 bounds without repeating the unit when it is the median's. */
function bare(value: number): string {
	return ms(value).replace(/ ms$/, "");
}

export function times(value: number): string {
	return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

/** `0.85× (0.70-1.02)`: the ratio of medians with the spread of the per-round ratios. */
export function ratioText(r: Ratio | null): string {
	if (r === null) return "n/a";
	if (r.paired === null || r.paired.n < 2) return times(r.ofMedians);
	return `${times(r.ofMedians)} (${r.paired.p10.toFixed(2)}–${r.paired.p90.toFixed(2)})`;
}

export function count(value: number, digits = 2): string {
	if (!Number.isFinite(value)) return "n/a";
	return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function dollars(value: number): string {
	return `$${value.toFixed(value < 0.1 ? 3 : 2)}`;
}

export function seconds(msValue: number): string {
	const s = msValue / 1000;
	return s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`;
}
