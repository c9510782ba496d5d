import { PlaygroundError } from "../../errors.js";
import type { ReplicatedHandle, ServiceHandle, ServiceName } from "../types.js";

/** Placeholder until the docker backend lands. */
export async function startDocker(service: ServiceName): Promise<ServiceHandle> {
  throw new PlaygroundError(
    `The docker backend cannot start ${service} yet: set PLAYGROUND_INFRA=local.`,
  );
}

export async function startDockerReplicated(
  service: "postgres" | "redis",
  _options: { sync?: boolean } = {},
): Promise<ReplicatedHandle> {
  throw new PlaygroundError(
    `The docker backend cannot start a replicated ${service} yet: set PLAYGROUND_INFRA=local.`,
  );
}
