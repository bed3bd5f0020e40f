// What a task with dynamic steps keeps beside its steps: the compiled plan and the step definitions it
// may still create (written once, when the task is created), and which of them exist so far (rewritten
// by each pass that creates steps). A task without dynamic steps has neither: its path costs nothing more.
import type { StepDefinition } from "../templates/task-template";
import type { WorkflowPlan } from "./workflow-plan";

export interface DynamicBlueprint {
	plan: WorkflowPlan;
	/** The template's step definitions, in template order (a step's idx is its position). */
	definitions: StepDefinition[];
}

export interface StepRef {
	idx: number;
	uuid: string;
}

export interface DynamicState {
	/** The idx the next batch worker gets (template steps keep their template position). */
	nextIdx: number;
	/** Template steps that exist, by name. */
	created: Record<string, StepRef>;
	/** Batch workers that exist, by their worker template's name. */
	instances: Record<string, StepRef[]>;
}
