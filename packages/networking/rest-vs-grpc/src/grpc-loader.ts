import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "./generated/catalog.js";

// What is generated and what is not. proto-loader parses the .proto at run
// time and grpc-js builds the client class and the (de)serialisers from it:
// no code is generated for that. `pnpm run generate` (proto-loader-gen-types)
// writes only TypeScript types, in src/generated, from the same file and the
// same options; the cast below is where the two meet.

/** The contract both servers and clients are built from. */
export const PROTO_PATH = fileURLToPath(new URL("../proto/catalog.proto", import.meta.url));

/** Must match the flags of `pnpm run generate`, or the types lie. */
export const LOADER_OPTIONS: protoLoader.Options = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const packageDefinition = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);

/** The loaded package, typed by the generated `ProtoGrpcType`. */
export const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
