import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RequestHandler } from "express";

// What not to write. This is the static handler people write when they
// think serving a file is `readFile(join(root, url))`. `path.join` resolves
// `..` segments, so `/../secret.txt`, or `/%2e%2e/secret.txt` once we decode
// it, walks straight out of `root`. We keep it to prove the tests can fail.
/** A static handler WITHOUT traversal protection. Never use it. */
export function naiveStatic(root: string): RequestHandler {
  return async (req, res) => {
    try {
      res.send(await readFile(path.join(root, decodeURIComponent(req.path))));
    } catch {
      res.status(404).send("not found");
    }
  };
}
