import type { ServiceDefinition } from "@grpc/proto-loader";
import { packageDefinition } from "./grpc-loader.js";

// The same value, two encodings. JSON spells out every field name and
// writes numbers as decimal text; protobuf writes a field's number and
// wire type in one byte, integers as varints, and omits default values.

type Method = "GetProduct" | "ListProducts";

/** The bytes of `value` as a JSON response body. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** The bytes of `value` as the protobuf message `method` responds with, as grpc-js encodes it. */
export function protobufBytes(method: Method, value: object): Buffer {
  const service = packageDefinition["catalog.v1.Catalog"] as ServiceDefinition;
  return service[method]!.responseSerialize(value);
}
