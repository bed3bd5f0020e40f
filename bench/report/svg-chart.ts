// bench/results.svg, written by hand (no chart library): (a) latency by shape, tasker-edge beside Workflows,
// (b) time per step against task size. Log scales, since the figures span milliseconds to seconds.
import type { Summary } from "../lib/stats";
import type { Figures } from "./figures";
import { ms, times } from "./format";

const WIDTH = 900;
const OURS = "#2563eb";
const THEIRS = "#ea580c";
const FLOOR = "#6b7280";
const FONT = 'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

interface Scale {
	(value: number): number;
	ticks: number[];
}

/** A log10 scale over whole decades that cover [lo, hi], with 1-2-5 ticks. */
function logScale(lo: number, hi: number, from: number, to: number): Scale {
	const a = Math.floor(Math.log10(Math.max(lo, 1e-6)));
	const b = Math.max(a + 1, Math.ceil(Math.log10(Math.max(hi, 1e-6))));
	const scale = ((value: number) =>
		from + ((Math.log10(Math.max(value, 10 ** a)) - a) / (b - a)) * (to - from)) as Scale;
	scale.ticks = [];
	for (let d = a; d <= b; d++) {
		for (const m of [1, 2, 5]) if (m * 10 ** d <= 10 ** b) scale.ticks.push(m * 10 ** d);
	}
	return scale;
}

const esc = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "0");

function text(x: number, y: number, content: string, attrs = ""): string {
	return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${esc(content)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
	return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;
}

const tickLabel = (v: number) => (v >= 1000 ? `${v / 1000} s` : v >= 1 ? `${v} ms` : `${v} ms`);

interface Bar {
	label: string;
	ours: Summary;
	theirs: Summary;
	note: string;
}

function latencyPanel(bars: readonly Bar[], top: number): { svg: string[]; height: number } {
	const left = 190;
	const right = WIDTH - 90;
	const rowHeight = 46;
	const plotTop = top + 46;
	const plotBottom = plotTop + bars.length * rowHeight;
	const all = bars
		.flatMap((b) => [b.ours.p10, b.ours.p90, b.theirs.p10, b.theirs.p90])
		.filter(Number.isFinite);
	const x = logScale(Math.min(...all), Math.max(...all), left, right);
	const svg: string[] = [
		text(
			20,
			top + 20,
			"(a) Latency by workflow shape: median, whiskers p10–p90 (log scale)",
			'font-size="16" font-weight="600"',
		),
		`<rect x="${left}" y="${top + 28}" width="12" height="10" fill="${OURS}"/>`,
		text(left + 18, top + 37, "tasker-edge", 'font-size="12"'),
		`<rect x="${left + 110}" y="${top + 28}" width="12" height="10" fill="${THEIRS}"/>`,
		text(left + 128, top + 37, "Cloudflare Workflows (local)", 'font-size="12"'),
	];
	for (const t of x.ticks) {
		svg.push(line(x(t), plotTop, x(t), plotBottom, 'stroke="#e5e7eb"'));
		svg.push(text(x(t), plotBottom + 16, tickLabel(t), 'font-size="11" text-anchor="middle" fill="#374151"'));
	}
	bars.forEach((bar, i) => {
		const y = plotTop + i * rowHeight + 6;
		svg.push(text(left - 10, y + 15, bar.label, 'font-size="13" text-anchor="end"'));
		svg.push(text(left - 10, y + 31, bar.note, 'font-size="11" text-anchor="end" fill="#374151"'));
		[
			{ s: bar.ours, color: OURS, dy: 0 },
			{ s: bar.theirs, color: THEIRS, dy: 17 },
		].forEach(({ s, color, dy }) => {
			const yy = y + dy;
			svg.push(
				`<rect x="${left}" y="${num(yy)}" width="${num(Math.max(1, x(s.median) - left))}" height="14" fill="${color}" opacity="0.85"/>`,
			);
			svg.push(line(x(s.p10), yy + 7, x(s.p90), yy + 7, 'stroke="#111827" stroke-width="1.2"'));
			svg.push(line(x(s.p10), yy + 3, x(s.p10), yy + 11, 'stroke="#111827" stroke-width="1.2"'));
			svg.push(line(x(s.p90), yy + 3, x(s.p90), yy + 11, 'stroke="#111827" stroke-width="1.2"'));
			svg.push(
				text(Math.max(x(s.p90), x(s.median)) + 6, yy + 11, ms(s.median), 'font-size="11" fill="#111827"'),
			);
		});
	});
	svg.push(line(left, plotTop, left, plotBottom, 'stroke="#9ca3af"'));
	return { svg, height: plotBottom + 30 - top };
}

interface Point {
	label: string;
	steps: number;
	perStep: Summary;
	color: string;
}

interface PlacedLabel {
	x: number;
	y: number;
	width: number;
}

/** Rough width of 11 px text: enough to keep labels from overlapping. */
const labelWidth = (content: string) => content.length * 6.2;

/**
 * Puts each label right of its point, moving it down until it overlaps no label placed before, and draws a
 * leader line when it had to move: the small reference shapes sit almost on top of each other.
 */
function placeLabels(
	points: ReadonlyArray<{ cx: number; cy: number; content: string; color: string }>,
): string[] {
	const placed: PlacedLabel[] = [];
	const svg: string[] = [];
	for (const p of [...points].sort((a, b) => a.cy - b.cy)) {
		if (p.content === "") continue;
		const label = { x: p.cx + 8, y: p.cy + 4, width: labelWidth(p.content) };
		const overlaps = () =>
			placed.some(
				(q) => label.x < q.x + q.width && q.x < label.x + label.width && Math.abs(label.y - q.y) < 13,
			);
		while (overlaps()) label.y += 13;
		placed.push(label);
		if (label.y - (p.cy + 4) > 3) {
			svg.push(line(p.cx + 3, p.cy + 2, label.x - 2, label.y - 4, `stroke="${p.color}" stroke-width="0.6"`));
		}
		// A white halo keeps a label readable where it crosses a grid line or the floor's line.
		svg.push(
			text(
				label.x,
				label.y,
				p.content,
				`font-size="11" fill="${p.color}" stroke="#ffffff" stroke-width="3" paint-order="stroke"`,
			),
		);
	}
	return svg;
}

function perStepPanel(
	points: readonly Point[],
	floorHop: number,
	top: number,
): { svg: string[]; height: number } {
	const left = 90;
	const right = WIDTH - 40;
	const plotTop = top + 46;
	const plotBottom = plotTop + 320;
	const xs = points.map((p) => p.steps);
	const ys = [...points.flatMap((p) => [p.perStep.p10, p.perStep.p90]), floorHop].filter(Number.isFinite);
	// Room on the right of the largest task for its label.
	const x = logScale(Math.min(...xs), Math.max(...xs) * 3, left, right);
	const y = logScale(Math.min(...ys), Math.max(...ys), plotBottom, plotTop);
	const svg: string[] = [
		text(
			20,
			top + 20,
			"(b) Time per step against task size: median, whiskers p10–p90 (log scales)",
			'font-size="16" font-weight="600"',
		),
		`<circle cx="${left + 6}" cy="${top + 33}" r="5" fill="${OURS}"/>`,
		text(left + 16, top + 37, "tasker-edge", 'font-size="12"'),
		`<circle cx="${left + 116}" cy="${top + 33}" r="5" fill="${THEIRS}"/>`,
		text(left + 126, top + 37, "Workflows", 'font-size="12"'),
		line(
			left + 210,
			top + 33,
			left + 240,
			top + 33,
			`stroke="${FLOOR}" stroke-dasharray="5 4" stroke-width="1.5"`,
		),
		text(left + 246, top + 37, "platform floor: one sequential hop (alarm, 4-hop runs)", 'font-size="12"'),
	];
	for (const t of x.ticks.filter((t) => Number.isInteger(Math.log10(t)))) {
		svg.push(line(x(t), plotTop, x(t), plotBottom, 'stroke="#e5e7eb"'));
		svg.push(
			text(
				x(t),
				plotBottom + 16,
				t.toLocaleString("en-US"),
				'font-size="11" text-anchor="middle" fill="#374151"',
			),
		);
	}
	for (const t of y.ticks) {
		svg.push(line(left, y(t), right, y(t), 'stroke="#e5e7eb"'));
		svg.push(text(left - 6, y(t) + 4, tickLabel(t), 'font-size="11" text-anchor="end" fill="#374151"'));
	}
	svg.push(
		text((left + right) / 2, plotBottom + 34, "steps in the task", 'font-size="12" text-anchor="middle"'),
	);
	const mid = num((plotTop + plotBottom) / 2);
	svg.push(
		text(
			18,
			(plotTop + plotBottom) / 2,
			"time per step",
			`font-size="12" text-anchor="middle" transform="rotate(-90 18 ${mid})"`,
		),
	);
	svg.push(
		line(
			left,
			y(floorHop),
			right,
			y(floorHop),
			`stroke="${FLOOR}" stroke-dasharray="5 4" stroke-width="1.5"`,
		),
	);
	const labels: Array<{ cx: number; cy: number; content: string; color: string }> = [];
	const marks: string[] = [];
	for (const p of points) {
		const cx = x(p.steps);
		const cy = y(p.perStep.median);
		marks.push(line(cx, y(p.perStep.p10), cx, y(p.perStep.p90), `stroke="${p.color}" stroke-width="1.2"`));
		marks.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="4.5" fill="${p.color}" fill-opacity="0.85"/>`);
		labels.push({
			cx,
			cy,
			content: p.label === "" ? "" : `${p.label} ${ms(p.perStep.median)}`,
			color: p.color,
		});
	}
	// Labels under the marks: a label's halo must not hide a neighbouring point.
	svg.push(...placeLabels(labels), ...marks);
	svg.push(line(left, plotBottom, right, plotBottom, 'stroke="#9ca3af"'));
	svg.push(line(left, plotTop, left, plotBottom, 'stroke="#9ca3af"'));
	return { svg, height: plotBottom + 44 - top };
}

const perStep = (s: Summary, steps: number): Summary => ({
	...s,
	median: s.median / steps,
	p10: s.p10 / steps,
	p25: s.p25 / steps,
	p75: s.p75 / steps,
	p90: s.p90 / steps,
	p95: s.p95 / steps,
	min: s.min / steps,
	max: s.max / steps,
	mean: s.mean / steps,
});

export function renderChart(f: Figures, subtitle: string): string {
	const fan = f.scale.fanOut;
	const bars: Bar[] = [
		...f.shapes.map((s) => ({
			label: `${s.label} (${s.steps})`,
			ours: s.ours.e2e,
			theirs: s.workflows.e2e,
			note: `ours/theirs ${times(s.ratio.ofMedians)}`,
		})),
		...(fan.workflows && fan.ratio
			? [
					{
						label: "fan-out 1000 (1,002)",
						ours: fan.total.e2e,
						theirs: fan.workflows.e2e,
						note: `ours/theirs ${times(fan.ratio.ofMedians)}`,
					},
				]
			: []),
	];
	const a = latencyPanel(bars, 40);
	// Workflows first, so that tasker-edge's points are drawn on top where the small shapes coincide; only the
	// fan-out's Workflows point is labelled (the legend names the others, whose labels would collide).
	const points: Point[] = [
		...f.shapes.map((sh) => ({
			label: "",
			steps: sh.steps,
			perStep: perStep(sh.workflows.e2e, sh.steps),
			color: THEIRS,
		})),
		...(fan.workflows
			? [
					{
						label: "Workflows fan-out 1000",
						steps: fan.steps,
						perStep: perStep(fan.workflows.e2e, fan.steps),
						color: THEIRS,
					},
				]
			: []),
		...f.shapes.map((sh) => ({
			label: sh.label,
			steps: sh.steps,
			perStep: perStep(sh.ours.e2e, sh.steps),
			color: OURS,
		})),
		...[f.scale.grid100, f.scale.chain, fan, f.scale.grid10k].map((sc) => ({
			label: sc.steps === sc.depth ? `chain ${sc.steps}` : sc.label.replace(/ \(.*\)$/, ""),
			steps: sc.steps,
			perStep: sc.perStep,
			color: OURS,
		})),
	];
	const floorHop =
		f.floor.find((fl) => fl.mode === "alarm" && fl.hops === 4)?.perHopClient.median ?? Number.NaN;
	const b = perStepPanel(points, floorHop, 40 + a.height + 20);
	const height = 40 + a.height + 20 + b.height + 10;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${num(height)}" viewBox="0 0 ${WIDTH} ${num(height)}" ${FONT}>`,
		`<title>${esc(`tasker-edge benchmarks (${subtitle}): latency by shape against Cloudflare Workflows, and time per step against task size`)}</title>`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		text(20, 24, `tasker-edge benchmarks: ${subtitle}`, 'font-size="13" fill="#374151"'),
		...a.svg,
		...b.svg,
		"</svg>",
		"",
	].join("\n");
}
