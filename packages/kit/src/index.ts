export { type Concept, concepts, REPO_ROOT, readConcept } from "./catalog.js";
export { DelayLine } from "./chaos/delay-line.js";
export { ChaosProxy, type ProxyMode } from "./chaos/proxy.js";
export {
  abortableSleep,
  type Demo,
  DemoAborted,
  type DemoContext,
  defineDemo,
  type RunOptions,
  runDemo,
} from "./demo.js";
export {
  PlaygroundError,
  ServiceStartError,
  ServiceUnavailableError,
  SharedServiceError,
} from "./errors.js";
export { type Listening, listen } from "./helpers/listen.js";
export { ScratchDatabase } from "./helpers/scratch-database.js";
export { poll, settlesWithin, waitUntil } from "./helpers/wait.js";
export type { NarrationEvent, NarrationType, Renderer, TableRow } from "./narration/events.js";
export { Narrator } from "./narration/narrator.js";
export {
  CaptureRenderer,
  formatTable,
  JsonRenderer,
  TerminalRenderer,
} from "./narration/renderers.js";
export { freePort, isListening, waitForPort } from "./proc/ports.js";
export { killOnExit } from "./proc/reaper.js";
export { type Exit, ScriptProcess } from "./proc/script-process.js";
export { isAlive, processTree } from "./proc/tree.mjs";
export { chooseBackend, dockerAvailable, infraMode } from "./services/backend.js";
export { envVar } from "./services/external.js";
export { services, startService } from "./services/index.js";
export { localBinaries } from "./services/local/binaries.js";
export { cacheDir, fetchJars, type JarService, jarsPresent } from "./services/local/jars.js";
export { LocalServer } from "./services/local/local-server.js";
export { startTimings } from "./services/progress.js";
export type {
  BackendKind,
  ReplicatedHandle,
  ServiceHandle,
  ServiceName,
  ServiceOptions,
} from "./services/types.js";
export { SERVICE_NAMES } from "./services/types.js";
