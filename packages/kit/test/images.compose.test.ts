import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { IMAGES } from "../src/services/images.js";
import { SERVICE_NAMES, type ServiceName } from "../src/services/types.js";

/** docker-compose.yml at the repository root, as far as this test reads it. */
interface ComposeService {
  image?: string;
  profiles?: string[];
  ports?: (string | { target?: number; host_ip?: string })[];
  healthcheck?: { test?: unknown };
}

const composeFile = fileURLToPath(new URL("../../../docker-compose.yml", import.meta.url));
const compose = parse(readFileSync(composeFile, "utf8")) as {
  services?: Record<string, ComposeService>;
};
const services = compose.services ?? {};

describe("docker-compose.yml and images.ts (compose)", () => {
  it("when compose is read, then it has exactly one service per ServiceName", () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it.each([...SERVICE_NAMES])(
    "when compose names the image of %s, then it is the one pinned in images.ts",
    (service) => {
      expect(services[service]?.image).toBe(IMAGES[service].image);
    },
  );

  it.each([...SERVICE_NAMES])(
    "when the image of %s is pinned, then its tag is an exact patch version",
    (service) => {
      const tag = IMAGES[service].image.split(":")[1] ?? "";
      // PostgreSQL 10 and later number a patch release major.minor (15.14); the rest use x.y.z.
      const exact =
        service === "postgres" ? /^\d+\.\d+(-[a-z0-9.]+)?$/ : /^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/;
      expect(tag).toMatch(exact);
    },
  );

  it.each([...SERVICE_NAMES])(
    "when %s is started with its profile, then it is the only service the profile brings up",
    (service) => {
      expect(services[service]?.profiles).toEqual([service]);
    },
  );

  it.each([...SERVICE_NAMES])(
    "when %s publishes its port, then only on 127.0.0.1 and to the container port of images.ts",
    (service: ServiceName) => {
      const ports = services[service]?.ports ?? [];
      expect(ports).toHaveLength(1);
      const [published] = ports;
      expect(typeof published).toBe("string");
      const parts = String(published).split(":");
      expect(parts[0]).toBe("127.0.0.1");
      expect(parts.at(-1)).toBe(String(IMAGES[service].port));
    },
  );

  it("when a service can be probed from inside its image, then it has a health check", () => {
    // ElasticMQ's image has nothing to probe with; see the comment in docker-compose.yml.
    for (const service of SERVICE_NAMES.filter((s) => s !== "sqs")) {
      expect({ service, test: services[service]?.healthcheck?.test }).toEqual({
        service,
        test: expect.any(Array),
      });
    }
  });
});
