// Markdown tables laid out exactly as Biome formats them (padded cells, `---:` for right-aligned columns), so
// that the generated BENCHMARKS.md passes `biome check` as written.

export type Align = "left" | "right";

const width = (text: string) => [...text].length;

export function markdownTable(
	header: readonly string[],
	rows: readonly (readonly string[])[],
	align: readonly Align[] = [],
): string {
	const columns = header.length;
	const escapeCells = (cells: readonly string[]) =>
		Array.from({ length: columns }, (_, i) => (cells[i] ?? "").replaceAll("|", "\\|"));
	const head = escapeCells(header);
	const body = rows.map(escapeCells);
	const widths = head.map((text, i) => Math.max(3, width(text), ...body.map((row) => width(row[i] ?? ""))));
	const cell = (text: string, i: number) => {
		const pad = " ".repeat((widths[i] ?? 3) - width(text));
		return align[i] === "right" ? pad + text : text + pad;
	};
	const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
	const rule = `| ${widths.map((w, i) => (align[i] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
	return [line(head), rule, ...body.map(line)].join("\n");
}
