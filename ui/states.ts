// How each state looks: colour (Okabe–Ito, 3:1 or better against white, or a dark border), an icon
// and the word itself, so that nothing is told by colour alone.

interface Look {
	fill: string;
	stroke: string;
	icon: string;
	dash?: string;
}

const LOOKS: Record<string, Look> = {
	pending: { fill: "#ffffff", stroke: "#6b6b6b", icon: "○" },
	enqueued: { fill: "#d6ebf7", stroke: "#0072b2", icon: "⇢" },
	in_progress: { fill: "#0072b2", stroke: "#00466e", icon: "▶" },
	enqueued_for_orchestration: { fill: "#0072b2", stroke: "#00466e", icon: "▶" },
	waiting_for_retry: { fill: "#e69f00", stroke: "#5c4000", icon: "⟳" },
	complete: { fill: "#009e73", stroke: "#005c43", icon: "✓" },
	resolved_manually: { fill: "#cc79a7", stroke: "#6e3358", icon: "✋" },
	error: { fill: "#d55e00", stroke: "#7a3600", icon: "✕" },
	cancelled: { fill: "#bdbdbd", stroke: "#4d4d4d", icon: "⊘", dash: "4 3" },
	// Waiting costs nothing and runs nothing: light fills with a dashed border, told apart by icon and word.
	waiting_for_event: { fill: "#f0e442", stroke: "#5c5500", icon: "✉", dash: "2 2" },
	sleeping: { fill: "#cfe8f7", stroke: "#2f5f80", icon: "☾", dash: "2 2" },
};

/** Task statuses and staleness health drawn like the step state they resemble. */
const ALIASES: Record<string, string> = {
	enqueuing_steps: "enqueued",
	steps_in_process: "in_progress",
	evaluating_results: "in_progress",
	waiting_for_dependencies: "pending",
	blocked_by_failures: "error",
	healthy: "complete",
	warning: "waiting_for_retry",
	stale: "error",
};

export function look(state: string): Look {
	return LOOKS[state] ?? LOOKS[ALIASES[state] ?? ""] ?? { fill: "#ffffff", stroke: "#6b6b6b", icon: "?" };
}

/** Text on a filled node: white on the dark fills, black on the light ones. */
export function ink(state: string): string {
	return ["in_progress", "enqueued_for_orchestration", "complete", "error", "resolved_manually"].includes(
		ALIASES[state] ?? state,
	)
		? "#ffffff"
		: "#1a1a1a";
}

export function badge(state: string): string {
	const l = look(state);
	return `<span class="badge" data-state="${state}" style="background:${l.fill};border-color:${l.stroke};color:${ink(state)}">${l.icon} ${state}</span>`;
}

export const TASK_STATES = [
	"pending",
	"enqueuing_steps",
	"steps_in_process",
	"evaluating_results",
	"waiting_for_dependencies",
	"waiting_for_retry",
	"blocked_by_failures",
	"complete",
	"error",
	"cancelled",
];
