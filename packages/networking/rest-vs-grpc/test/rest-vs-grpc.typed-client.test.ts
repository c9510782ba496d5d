import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import ts from "typescript";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const GENERATED = path.join(PACKAGE, "src/generated");

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of names.filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await readFile(full, "utf8"));
  }
  return files;
}

// Type-checks `source` as if it were a file in src/, against the real
// generated types and @grpc/grpc-js, and returns the compiler's complaints.
function typeErrors(source: string): string[] {
  const file = path.join(PACKAGE, "src", "__typecheck__.ts");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile: read, getSourceFile } = host;
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : read(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("typed clients", () => {
  it("when the generator runs on the .proto again, then it writes exactly the committed types", async () => {
    // Arrange
    const out = await mkdtemp(path.join(tmpdir(), "rest-vs-grpc-gen-"));
    const script = JSON.parse(await readFile(path.join(PACKAGE, "package.json"), "utf8")).scripts
      .generate as string;
    const [bin, ...args] = script.replace("--outDir=src/generated", `--outDir=${out}`).split(" ");

    // Act
    await promisify(execFile)(path.join(PACKAGE, "node_modules/.bin", bin!), args, {
      cwd: PACKAGE,
    });
    const fresh = await filesUnder(out);
    const committed = await filesUnder(GENERATED);
    await rm(out, { recursive: true, force: true });

    // Assert
    expect(fresh.size).toBeGreaterThan(5);
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect(committed.get(name)).toBe(text);
  });

  it("when gRPC code misspells a field, then the compiler rejects it, while the same typo in hand-written fetch code compiles", () => {
    // Arrange
    const grpcCode = `
      import * as grpc from "@grpc/grpc-js";
      import { proto } from "./grpc-loader.js";
      const client = new proto.catalog.v1.Catalog("127.0.0.1:1", grpc.credentials.createInsecure());
      client.GetProduct({ skew: "SKU-0001" }, (error, product) => {
        const cents: number = product!.priceCent;
      });
    `;
    const fetchCode = `
      export async function price(): Promise<number> {
        const response = await fetch("http://127.0.0.1:1/products/SKU-0001?skew=1");
        const product = await response.json();
        return product.priceCent;
      }
    `;

    // Act
    const grpcErrors = typeErrors(grpcCode);
    const fetchErrors = typeErrors(fetchCode);

    // Assert
    expect(grpcErrors.some((e) => e.includes("'skew' does not exist"))).toBe(true);
    expect(grpcErrors.some((e) => e.includes("'priceCent' does not exist"))).toBe(true);
    expect(fetchErrors).toEqual([]);
  });
});
