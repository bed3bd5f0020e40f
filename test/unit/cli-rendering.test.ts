// The CLI's renderings for people and for Mermaid: aligned columns, topological layers, `a --> b` edges.
import { describe, expect, it } from "vitest";
import { cell, formatFields, formatTable } from "../../src/cli/table";
import { renderLayers, renderMermaid, topologicalLayers } from "../../src/cli/template-graph";

const seed = [
	{ name: "validate_order", dependencies: [] },
	{ name: "reserve_inventory", dependencies: ["validate_order"] },
	{ name: "notify_customer", dependencies: ["validate_order"] },
	{ name: "charge_payment", dependencies: ["reserve_inventory"] },
];

describe("formatTable", () => {
	it("pads every column but the last to its widest cell, two spaces apart", () => {
		expect(
			formatTable(
				["NAME", "STATE", "NOTE"],
				[
					["validate_order", "complete", ""],
					["x", "in_progress", "slow"],
				],
			),
		).toEqual([
			"NAME            STATE        NOTE",
			"validate_order  complete",
			"x               in_progress  slow",
		]);
	});

	it("aligns key/value fields and prints missing values as -", () => {
		expect(
			formatFields([
				["status", "complete"],
				["task_uuid", cell(null)],
			]),
		).toEqual(["status     complete", "task_uuid  -"]);
		expect(cell({ a: 1 })).toBe('{"a":1}');
	});
});

describe("template graph", () => {
	it("puts each step one layer below its deepest dependency, in template order", () => {
		expect(topologicalLayers(seed)).toEqual([
			["validate_order"],
			["reserve_inventory", "notify_customer"],
			["charge_payment"],
		]);
		// A dependency listed after its dependent still places the dependent below it.
		expect(
			topologicalLayers([
				{ name: "b", dependencies: ["a"] },
				{ name: "a", dependencies: [] },
			]),
		).toEqual([["a"], ["b"]]);
	});

	it("draws the layers with what each step waits for", () => {
		expect(renderLayers(seed)).toEqual([
			"LAYER    STEP               WAITS FOR",
			"layer 1  validate_order",
			"layer 2  reserve_inventory  ← validate_order",
			"         notify_customer    ← validate_order",
			"layer 3  charge_payment     ← reserve_inventory",
		]);
	});

	it("emits a Mermaid flowchart with one edge per dependency and lone steps as nodes", () => {
		expect(renderMermaid([...seed, { name: "audit_log", dependencies: [] }])).toEqual([
			"flowchart TD",
			"    audit_log",
			"    validate_order --> reserve_inventory",
			"    validate_order --> notify_customer",
			"    reserve_inventory --> charge_payment",
		]);
	});

	it("names a cycle rather than looping", () => {
		expect(() =>
			topologicalLayers([
				{ name: "a", dependencies: ["b"] },
				{ name: "b", dependencies: ["a"] },
			]),
		).toThrow(/cycle/);
	});
});
