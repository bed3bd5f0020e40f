// "Did you mean ...?": the known name a typo most likely meant, for unknown keys, steps and handlers.

/** The candidate a typo most likely meant: same name in another case, a prefix/infix, or a small edit away. */
export function closestName(target: string, candidates: Iterable<string>): string | null {
	const wanted = target.toLowerCase();
	let best: string | null = null;
	let bestScore = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const lower = candidate.toLowerCase();
		const distance = editDistance(wanted, lower);
		const shorter = Math.min(wanted.length, lower.length);
		const contains = shorter >= 3 && (lower.includes(wanted) || wanted.includes(lower));
		const near = distance <= Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
		if ((contains || near) && distance < bestScore) {
			best = candidate;
			bestScore = distance;
		}
	}
	return best;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (the commonest typo). */
function editDistance(a: string, b: string): number {
	const rows: number[][] = [];
	for (let i = 0; i <= a.length; i++) {
		const row: number[] = [i];
		for (let j = 1; j <= b.length; j++) {
			if (i === 0) {
				row.push(j);
				continue;
			}
			const prev = rows[i - 1] as number[];
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
			}
			row.push(d);
		}
		rows.push(row);
	}
	return (rows[a.length] as number[])[b.length] as number;
}
