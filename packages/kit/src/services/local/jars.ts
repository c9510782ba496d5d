import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PlaygroundError } from "../../errors.js";
import { progress } from "../progress.js";
import { unavailable, which } from "./binaries.js";

const run = promisify(execFile);

export type JarService = "kafka" | "zookeeper" | "sqs";

/**
 * Kafka, ZooKeeper and ElasticMQ have no Debian package, so the local
 * backend runs their jars from Maven Central on the installed Java 17.
 * Kafka stays on 3.9: kafkajs speaks protocol versions that 4.0 removed.
 */
export const JAR_SETS: Record<JarService, { name: string; version: string; artifacts: string[] }> =
  {
    kafka: {
      name: "kafka",
      version: "3.9.1",
      // The broker's logging backend is compile-only; without reload4j it runs silently.
      artifacts: ["org.apache.kafka:kafka_2.13:3.9.1", "org.slf4j:slf4j-reload4j:1.7.36"],
    },
    zookeeper: {
      name: "zookeeper",
      version: "3.9.5",
      // metrics-core is optional in ZooKeeper's pom but the server needs it at run time.
      artifacts: [
        "org.apache.zookeeper:zookeeper:3.9.5",
        "io.dropwizard.metrics:metrics-core:4.1.12.1",
        // Also "provided" in the pom; without it the server never starts serving.
        "org.xerial.snappy:snappy-java:1.1.10.5",
        "org.slf4j:slf4j-simple:2.0.13",
      ],
    },
    sqs: {
      name: "elasticmq",
      version: "1.7.1",
      artifacts: ["org.elasticmq:elasticmq-server_2.13:1.7.1"],
    },
  };

export function cacheDir(): string {
  if (process.env.PLAYGROUND_CACHE_DIR) return process.env.PLAYGROUND_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache");
  return path.join(base, "backend-playground");
}

export function jarsDir(service: JarService): string {
  const { name, version } = JAR_SETS[service];
  return path.join(cacheDir(), "jars", `${name}-${version}`);
}

/** Whether the cache holds exactly the jar set we ask for (its `.complete` lists it). */
export function jarsPresent(service: JarService): boolean {
  const marker = path.join(jarsDir(service), ".complete");
  if (!existsSync(marker)) return false;
  return readFileSync(marker, "utf8") === `${JAR_SETS[service].artifacts.join("\n")}\n`;
}

/** The classpath argument for `java -cp`. */
export function classpath(service: JarService): string {
  return `${jarsDir(service)}/*`;
}

function pom(service: JarService): string {
  const deps = JAR_SETS[service].artifacts.map((coordinates) => {
    const [groupId, artifactId, version] = coordinates.split(":");
    return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
  });
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>playground</groupId><artifactId>${service}-jars</artifactId><version>1</version>
  <dependencies>
${deps.join("\n")}
  </dependencies>
</project>
`;
}

/**
 * Fetches one jar set into the cache with `mvn dependency:copy-dependencies`.
 * It lands in a scratch directory first and is renamed into place, so a
 * fetch that is interrupted or runs twice at once never leaves half a set.
 */
export async function fetchJars(service: JarService): Promise<string> {
  const target = jarsDir(service);
  if (jarsPresent(service)) return target;
  const mvn = which("mvn");
  if (!mvn) throw unavailable(service, "its jars are not fetched and `mvn` is not installed");
  await mkdir(path.dirname(target), { recursive: true });
  const scratch = await mkdtemp(`${target}.partial-`);
  const { name, version } = JAR_SETS[service];
  try {
    await progress(`fetching ${name} ${version} jars from Maven Central`, async () => {
      await writeFile(path.join(scratch, "pom.xml"), pom(service));
      const lib = path.join(scratch, "lib");
      await run(
        mvn,
        [
          "-q",
          "-B",
          "dependency:copy-dependencies",
          "-DincludeScope=runtime",
          `-DoutputDirectory=${lib}`,
        ],
        {
          cwd: scratch,
          maxBuffer: 16 * 1024 * 1024,
        },
      ).catch((err: { stdout?: string }) => {
        throw new PlaygroundError(
          `Maven could not fetch ${name} ${version}: ${(err.stdout ?? "").split("\n").find((l) => l.includes("ERROR")) ?? err}. ` +
            "Check that Maven Central is reachable, then run `pnpm infra fetch` again.",
        );
      });
      await writeFile(path.join(lib, ".complete"), `${JAR_SETS[service].artifacts.join("\n")}\n`);
      // A set fetched for an older artifact list is replaced, not merged.
      if (existsSync(target) && !jarsPresent(service))
        await rm(target, { recursive: true, force: true });
      await rename(lib, target).catch((err: NodeJS.ErrnoException) => {
        // Another process finished the same fetch first; theirs is as good.
        if (!jarsPresent(service)) throw err;
      });
    });
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The jars, fetched now if they are missing and Maven is here. */
export async function ensureJars(service: JarService): Promise<string> {
  if (!which("java")) throw unavailable(service, "no `java` on PATH and no Docker");
  return fetchJars(service);
}
