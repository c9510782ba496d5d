import { spawnSync } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
import {
  type Concept,
  concepts,
  dockerAvailable,
  envVar,
  jarsPresent,
  localBinaries,
  SERVICE_NAMES,
  type ServiceName,
} from "@playground/kit";

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

function version(command: string, args: string[]): string | undefined {
  // `java -version` prints to stderr; Maven colours its output.
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, MAVEN_OPTS: "-Djansi.force=false" },
  });
  if (result.error || result.status !== 0) return undefined;
  const first = `${result.stdout}${result.stderr}`.split("\n")[0] ?? "";
  return stripVTControlCharacters(first).trim();
}

/**
 * `pnpm doctor`: what this machine has, and for each missing piece, which
 * concepts it blocks. A service is available if a URL is set, Docker
 * answers, or everything its local backend needs is installed.
 */
export async function doctorCommand(write: (line: string) => void): Promise<number> {
  const docker = await dockerAvailable();
  const checks: Check[] = [
    { what: "node", ok: true, detail: process.version },
    {
      what: "docker",
      ok: docker,
      detail: docker ? "a container runtime answers" : "no container runtime answers",
    },
  ];
  const java = version("java", ["-version"]);
  checks.push({
    what: "java",
    ok: java !== undefined,
    detail: java ?? "not found (Kafka, ZooKeeper, ElasticMQ need Java 17)",
  });
  const mvn = version("mvn", ["-v"]);
  checks.push({
    what: "mvn",
    ok: mvn !== undefined,
    detail: mvn ?? "not found (needed once, for `pnpm infra fetch`)",
  });

  const available = new Map<ServiceName, boolean>();
  for (const service of SERVICE_NAMES) {
    const url = process.env[envVar(service)];
    const local = localBinaries(service);
    const missing = local.filter((b) => !b.path).map((b) => b.name);
    const jars = ["kafka", "zookeeper", "sqs"].includes(service)
      ? jarsPresent(service as "kafka" | "zookeeper" | "sqs")
      : true;
    const localOk = missing.length === 0 && (jars || mvn !== undefined);
    const ok = Boolean(url) || docker || localOk;
    available.set(service, ok);
    const how = url
      ? `${envVar(service)}=${url}`
      : localOk
        ? `local: ${local.map((b) => b.path).join(", ")}${jars ? "" : " (jars will be fetched on first use)"}`
        : docker
          ? "docker"
          : `missing ${[...missing, ...(jars ? [] : ["jars"])].join(", ")}`;
    checks.push({ what: service, ok, detail: how });
  }

  for (const c of checks) write(`${c.ok ? "✔" : "✘"} ${c.what.padEnd(10)} ${c.detail}`);

  const blocked = (all: Concept[]) => all.filter((c) => c.services.some((s) => !available.get(s)));
  const stuck = blocked(concepts());
  if (stuck.length === 0) {
    write("\nEvery concept can run here.");
    return 0;
  }
  write("\nBlocked concepts:");
  for (const c of stuck) {
    write(`  ${c.slug.padEnd(28)} needs ${c.services.filter((s) => !available.get(s)).join(", ")}`);
  }
  return 1;
}
