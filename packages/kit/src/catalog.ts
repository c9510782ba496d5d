import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVICE_NAMES, type ServiceName } from "./services/types.js";

/** One concept package, as its `package.json` describes it. */
export interface Concept {
  slug: string;
  area: string;
  title: string;
  questions: number[];
  services: ServiceName[];
  summary: string;
  /** Absolute path of the package directory. */
  dir: string;
}

interface PlaygroundMeta {
  title: string;
  questions: number[];
  services: string[];
  summary: string;
}

/** The repository root: three levels above this file (packages/kit/src). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Reads the `playground` metadata of one package directory, if it has any. */
export function readConcept(dir: string): Concept | undefined {
  const file = path.join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { playground?: PlaygroundMeta };
  const meta = pkg.playground;
  if (!meta) return undefined;
  const unknown = meta.services.filter((s) => !SERVICE_NAMES.includes(s as ServiceName));
  if (unknown.length > 0) {
    throw new Error(
      `${file} names unknown services: ${unknown.join(", ")} (known: ${SERVICE_NAMES.join(", ")})`,
    );
  }
  return {
    slug: path.basename(dir),
    area: path.basename(path.dirname(dir)),
    title: meta.title,
    questions: meta.questions,
    services: meta.services as ServiceName[],
    summary: meta.summary,
    dir,
  };
}

/** Every concept package under `packages/<area>/<slug>`, sorted by area then first question. */
export function concepts(root: string = REPO_ROOT): Concept[] {
  const packages = path.join(root, "packages");
  const found: Concept[] = [];
  for (const area of readdirSync(packages)) {
    const areaDir = path.join(packages, area);
    if (existsSync(path.join(areaDir, "package.json"))) continue; // kit, cli
    for (const slug of readdirSync(areaDir)) {
      const concept = readConcept(path.join(areaDir, slug));
      if (concept) found.push(concept);
    }
  }
  return found.sort(
    (a, b) => a.area.localeCompare(b.area) || (a.questions[0] ?? 0) - (b.questions[0] ?? 0),
  );
}
