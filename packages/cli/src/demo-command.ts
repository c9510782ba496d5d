import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Concept,
  concepts,
  type Demo,
  JsonRenderer,
  PlaygroundError,
  type Renderer,
  runDemo,
  type ServiceName,
  TerminalRenderer,
} from "@playground/kit";
import type { Args } from "./args.js";
import { closest } from "./suggest.js";

/** `pnpm demo`: every concept, grouped by area, with its questions and servers. */
export function listConcepts(all: Concept[], write: (line: string) => void): void {
  const areas = [...new Set(all.map((c) => c.area))];
  for (const area of areas) {
    write(`\n${area}`);
    for (const c of all.filter((x) => x.area === area)) {
      const qs = `Q${c.questions.join(", Q")}`;
      const needs = c.services.length > 0 ? `  [${c.services.join(", ")}]` : "";
      write(`  ${c.slug.padEnd(28)} ${qs.padEnd(14)} ${c.title}${needs}`);
    }
  }
  write("\nRun one with `pnpm demo <slug>`; add --json for NDJSON events, --fast for a short run.");
}

export function findConcept(all: Concept[], slug: string): Concept {
  const concept = all.find((c) => c.slug === slug);
  if (concept) return concept;
  const near = closest(
    slug,
    all.map((c) => c.slug),
  );
  const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `\`${n}\``).join(" or ")}?` : "";
  throw new PlaygroundError(
    `There is no concept called \`${slug}\`.${hint} Run \`pnpm demo\` to list them all.`,
  );
}

export function loadDemo(concept: Concept): Promise<Demo<ServiceName>> {
  return loadDemoFile(path.join(concept.dir, "src", "demo.ts"));
}

async function loadDemoFile(file: string): Promise<Demo<ServiceName>> {
  const module = (await import(pathToFileURL(file).href)) as { default?: Demo<ServiceName> };
  if (!module.default?.run)
    throw new PlaygroundError(`${file} has no default export made with defineDemo().`);
  return module.default;
}

/**
 * `pnpm demo <slug> [--json] [--fast]`. Ctrl-C aborts the demo; `runDemo`
 * then cleans up within its 2 s budget, and we exit.
 */
export async function demoCommand(args: Args): Promise<number> {
  const all = concepts();
  const [slug] = args.positionals;
  if (args.flags.has("list") && args.flags.has("json")) {
    const rows = all.map(({ slug, title, area, questions, services }) => ({
      slug,
      title,
      area,
      questions,
      services,
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (!slug || args.flags.has("list")) {
    listConcepts(all, (line) => process.stdout.write(`${line}\n`));
    return 0;
  }
  // A path instead of a slug runs that file: handy while writing a new demo.
  const demo = slug.endsWith(".ts")
    ? await loadDemoFile(path.resolve(slug))
    : await loadDemo(findConcept(all, slug));
  const renderer: Renderer = args.flags.has("json") ? new JsonRenderer() : new TerminalRenderer();
  const controller = new AbortController();
  const onSignal = () => {
    if (!args.flags.has("json")) process.stderr.write("\nstopping, cleaning up…\n");
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await runDemo(demo, {
      renderers: [renderer],
      fast: args.flags.has("fast"),
      signal: controller.signal,
    });
    return 0;
  } catch (err) {
    if (controller.signal.aborted) return 130;
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
