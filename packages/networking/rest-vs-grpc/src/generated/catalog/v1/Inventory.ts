// Original file: proto/catalog.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetStockRequest as _catalog_v1_GetStockRequest, GetStockRequest__Output as _catalog_v1_GetStockRequest__Output } from '../../catalog/v1/GetStockRequest.js';
import type { Stock as _catalog_v1_Stock, Stock__Output as _catalog_v1_Stock__Output } from '../../catalog/v1/Stock.js';

/**
 * The catalogue's own dependency, so a deadline has a second hop to reach.
 */
export interface InventoryClient extends grpc.Client {
  GetStock(argument: _catalog_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _catalog_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _catalog_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _catalog_v1_GetStockRequest, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _catalog_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _catalog_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _catalog_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _catalog_v1_GetStockRequest, callback: grpc.requestCallback<_catalog_v1_Stock__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The catalogue's own dependency, so a deadline has a second hop to reach.
 */
export interface InventoryHandlers extends grpc.UntypedServiceImplementation {
  GetStock: grpc.handleUnaryCall<_catalog_v1_GetStockRequest__Output, _catalog_v1_Stock>;
  
}

export interface InventoryDefinition extends grpc.ServiceDefinition {
  GetStock: MethodDefinition<_catalog_v1_GetStockRequest, _catalog_v1_Stock, _catalog_v1_GetStockRequest__Output, _catalog_v1_Stock__Output>
}
