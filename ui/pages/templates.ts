// The templates: each one's DAG (decision, batch and deferred steps marked when the template says so)
// and a box that validates pasted YAML through the validate route, with the messages `npm run
// validate` prints.
import { api } from "../api";
import { errorBox, esc } from "../dom";
import { paintGraph, renderGraph } from "../graph";
import { layoutDag } from "../layout";

interface Catalogue {
	templates: Array<{
		name: string;
		namespace: string;
		version: string;
		description: string | null;
		step_count: number;
	}>;
}

interface TemplateDetail {
	name: string;
	steps: Array<{
		name: string;
		dependencies: string[];
		type?: string;
		step_type?: string;
		handler: { callable: string };
	}>;
}

export async function templatesPage(root: HTMLElement): Promise<void> {
	root.innerHTML = `<h1>Templates</h1><div id="template-list">Loading…</div>
<section><h2>Validate a template</h2>
<form id="validate-form" data-testid="validate-form"><textarea name="yaml" rows="12" cols="80" placeholder="name: my_workflow&#10;namespace_name: default&#10;version: 1.0.0&#10;steps: …"></textarea><br><button type="submit">Validate</button></form>
<div id="validate-result" data-testid="validate-result"></div></section>`;
	root.querySelector("#validate-form")?.addEventListener("submit", async (event) => {
		event.preventDefault();
		const yaml = String(new FormData(event.target as HTMLFormElement).get("yaml") ?? "");
		const out = root.querySelector("#validate-result") as HTMLElement;
		try {
			const result = await api<{
				valid: boolean;
				problems?: Array<{ path: string; message: string }>;
				template?: { name: string };
			}>("/v1/templates/validate", {
				method: "POST",
				headers: { "content-type": "application/yaml" },
				body: yaml,
			});
			out.innerHTML = result.valid
				? `<p class="ok">Valid: ${esc(result.template?.name)}</p>`
				: `<ul class="problems">${(result.problems ?? []).map((p) => `<li>${p.path === "" ? "" : `${esc(p.path)}: `}${esc(p.message)}</li>`).join("")}</ul><p>${result.problems?.length ?? 0} problem(s)</p>`;
		} catch (error) {
			out.innerHTML = errorBox(error);
		}
	});
	const list = root.querySelector("#template-list") as HTMLElement;
	try {
		const catalogue = await api<Catalogue>("/v1/templates");
		list.innerHTML = catalogue.templates
			.map(
				(
					t,
					i,
				) => `<article class="template"><h2>${esc(t.namespace)}/${esc(t.name)} <small>v${esc(t.version)} · ${t.step_count} steps</small></h2>
<p class="muted">${esc(t.description ?? "")}</p><div class="graph-box" id="template-graph-${i}" data-testid="template-graph">…</div></article>`,
			)
			.join("");
		await Promise.all(
			catalogue.templates.map(async (t, i) => {
				const box = list.querySelector(`#template-graph-${i}`) as HTMLElement;
				try {
					const detail = await api<TemplateDetail>(`/v1/templates/${t.namespace}/${t.name}/${t.version}`);
					const layout = layoutDag(
						detail.steps.map((s) => {
							const kind = s.type ?? s.step_type ?? null;
							return {
								id: s.name,
								name: s.name,
								dependencies: s.dependencies,
								kind: kind === "standard" ? null : kind,
							};
						}),
					);
					box.innerHTML = renderGraph(layout);
					paintGraph(box.querySelector("svg") as Element, layout, () => "pending");
				} catch (error) {
					box.innerHTML = errorBox(error);
				}
			}),
		);
	} catch (error) {
		list.innerHTML = errorBox(error);
	}
}
