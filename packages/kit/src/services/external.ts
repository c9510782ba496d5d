import { SharedServiceError } from "../errors.js";
import type { ServiceHandle, ServiceName } from "./types.js";

/**
 * A server we were handed by URL: `PLAYGROUND_<SERVICE>_URL`, or the shared
 * server the Jest global setup started. We use it, but it is not ours to
 * stop, crash or freeze; a test that needs that asks for a dedicated one.
 */
export class ExternalServer implements ServiceHandle {
  readonly backend = "external" as const;
  readonly host: string;
  readonly port: number;

  constructor(
    readonly service: ServiceName,
    readonly url: string,
  ) {
    const parsed = new URL(url);
    this.host = parsed.hostname;
    this.port = Number(parsed.port);
  }

  #refuse(what: string): Promise<never> {
    return Promise.reject(
      new SharedServiceError(
        `Cannot ${what} ${this.service} at ${this.url}: it is shared (${envVar(this.service)}). ` +
          `Ask for a server of your own with services.${this.service}({ dedicated: true }).`,
      ),
    );
  }

  start = () => this.#refuse("start");
  stop = () => this.#refuse("stop");
  restart = () => this.#refuse("restart");
  kill = () => this.#refuse("kill");
  pause = () => this.#refuse("pause");
  resume = () => this.#refuse("resume");

  async logs(): Promise<string> {
    return "";
  }

  async [Symbol.asyncDispose](): Promise<void> {}
}

/** `PLAYGROUND_POSTGRES_URL`, `PLAYGROUND_SQS_URL`, … */
export function envVar(service: ServiceName): string {
  return `PLAYGROUND_${service.toUpperCase()}_URL`;
}
