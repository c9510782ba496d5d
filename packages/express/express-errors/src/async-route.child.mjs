// Runs in a child process, so that an unhandled rejection stays in here and
// cannot disturb the test runner or the demo. Usage:
//   node async-route.child.mjs <express|express4> <client timeout in ms>
// It serves one `async` route that rejects, asks for it once with a bounded
// client, and prints one JSON line with what happened.
const [which, timeoutArg] = process.argv.slice(2);
if (which !== "express" && which !== "express4") throw new Error("say express or express4");
const timeoutMs = Number(timeoutArg ?? 500);

// We count every rejection that nobody handled. In Express 4 this is where
// the error from the route ends up: not in the app's error handler.
const unhandled = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason instanceof Error ? reason.message : String(reason));
});

const { default: express } = await import(which);
const { version } = (await import(`${which}/package.json`, { with: { type: "json" } })).default;
const app = express();
let errorHandlerCalls = 0;
app.get("/async", async () => {
  await Promise.resolve();
  throw new Error("async handler rejected");
});
app.use((err, _req, res, _next) => {
  errorHandlerCalls += 1;
  res.status(500).json({ handledBy: "error middleware", message: err.message });
});

const server = await new Promise((resolve) => {
  const s = app.listen(0, "127.0.0.1", () => resolve(s));
});
const started = performance.now();
let outcome;
try {
  const response = await fetch(`http://127.0.0.1:${server.address().port}/async`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  outcome = { answered: true, status: response.status, body: await response.json() };
} catch (error) {
  outcome = { answered: false, error: error.name };
}
const waitedMs = performance.now() - started;
server.closeAllConnections();
server.close();
process.stdout.write(
  `${JSON.stringify({ version, ...outcome, waitedMs, errorHandlerCalls, unhandled })}\n`,
);
