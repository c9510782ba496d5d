// Original file: proto/catalog.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProductRequest as _catalog_v1_GetProductRequest, GetProductRequest__Output as _catalog_v1_GetProductRequest__Output } from '../../catalog/v1/GetProductRequest.js';
import type { ListProductsRequest as _catalog_v1_ListProductsRequest, ListProductsRequest__Output as _catalog_v1_ListProductsRequest__Output } from '../../catalog/v1/ListProductsRequest.js';
import type { ListProductsResponse as _catalog_v1_ListProductsResponse, ListProductsResponse__Output as _catalog_v1_ListProductsResponse__Output } from '../../catalog/v1/ListProductsResponse.js';
import type { PriceChange as _catalog_v1_PriceChange, PriceChange__Output as _catalog_v1_PriceChange__Output } from '../../catalog/v1/PriceChange.js';
import type { Product as _catalog_v1_Product, Product__Output as _catalog_v1_Product__Output } from '../../catalog/v1/Product.js';
import type { Quote as _catalog_v1_Quote, Quote__Output as _catalog_v1_Quote__Output } from '../../catalog/v1/Quote.js';
import type { QuoteRequest as _catalog_v1_QuoteRequest, QuoteRequest__Output as _catalog_v1_QuoteRequest__Output } from '../../catalog/v1/QuoteRequest.js';
import type { WatchPricesRequest as _catalog_v1_WatchPricesRequest, WatchPricesRequest__Output as _catalog_v1_WatchPricesRequest__Output } from '../../catalog/v1/WatchPricesRequest.js';

export interface CatalogClient extends grpc.Client {
  /**
   * One product, or NOT_FOUND; INVALID_ARGUMENT for a malformed SKU. When
   * the server has an inventory, it asks it for the stock first.
   */
  GetProduct(argument: _catalog_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _catalog_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _catalog_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _catalog_v1_GetProductRequest, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  /**
   * One product, or NOT_FOUND; INVALID_ARGUMENT for a malformed SKU. When
   * the server has an inventory, it asks it for the stock first.
   */
  getProduct(argument: _catalog_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _catalog_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _catalog_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _catalog_v1_GetProductRequest, callback: grpc.requestCallback<_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  
  /**
   * The first `limit` products; INVALID_ARGUMENT outside 1 to 100.
   */
  ListProducts(argument: _catalog_v1_ListProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _catalog_v1_ListProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _catalog_v1_ListProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _catalog_v1_ListProductsRequest, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The first `limit` products; INVALID_ARGUMENT outside 1 to 100.
   */
  listProducts(argument: _catalog_v1_ListProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _catalog_v1_ListProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _catalog_v1_ListProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _catalog_v1_ListProductsRequest, callback: grpc.requestCallback<_catalog_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Bidirectional streaming: each request is answered as soon as it arrives.
   */
  QuoteStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_catalog_v1_QuoteRequest, _catalog_v1_Quote__Output>;
  QuoteStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_catalog_v1_QuoteRequest, _catalog_v1_Quote__Output>;
  /**
   * Bidirectional streaming: each request is answered as soon as it arrives.
   */
  quoteStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_catalog_v1_QuoteRequest, _catalog_v1_Quote__Output>;
  quoteStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_catalog_v1_QuoteRequest, _catalog_v1_Quote__Output>;
  
  /**
   * Server streaming: every price change of these SKUs, as it happens.
   */
  WatchPrices(argument: _catalog_v1_WatchPricesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_catalog_v1_PriceChange__Output>;
  WatchPrices(argument: _catalog_v1_WatchPricesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_catalog_v1_PriceChange__Output>;
  /**
   * Server streaming: every price change of these SKUs, as it happens.
   */
  watchPrices(argument: _catalog_v1_WatchPricesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_catalog_v1_PriceChange__Output>;
  watchPrices(argument: _catalog_v1_WatchPricesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_catalog_v1_PriceChange__Output>;
  
}

export interface CatalogHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One product, or NOT_FOUND; INVALID_ARGUMENT for a malformed SKU. When
   * the server has an inventory, it asks it for the stock first.
   */
  GetProduct: grpc.handleUnaryCall<_catalog_v1_GetProductRequest__Output, _catalog_v1_Product>;
  
  /**
   * The first `limit` products; INVALID_ARGUMENT outside 1 to 100.
   */
  ListProducts: grpc.handleUnaryCall<_catalog_v1_ListProductsRequest__Output, _catalog_v1_ListProductsResponse>;
  
  /**
   * Bidirectional streaming: each request is answered as soon as it arrives.
   */
  QuoteStream: grpc.handleBidiStreamingCall<_catalog_v1_QuoteRequest__Output, _catalog_v1_Quote>;
  
  /**
   * Server streaming: every price change of these SKUs, as it happens.
   */
  WatchPrices: grpc.handleServerStreamingCall<_catalog_v1_WatchPricesRequest__Output, _catalog_v1_PriceChange>;
  
}

export interface CatalogDefinition extends grpc.ServiceDefinition {
  GetProduct: MethodDefinition<_catalog_v1_GetProductRequest, _catalog_v1_Product, _catalog_v1_GetProductRequest__Output, _catalog_v1_Product__Output>
  ListProducts: MethodDefinition<_catalog_v1_ListProductsRequest, _catalog_v1_ListProductsResponse, _catalog_v1_ListProductsRequest__Output, _catalog_v1_ListProductsResponse__Output>
  QuoteStream: MethodDefinition<_catalog_v1_QuoteRequest, _catalog_v1_Quote, _catalog_v1_QuoteRequest__Output, _catalog_v1_Quote__Output>
  WatchPrices: MethodDefinition<_catalog_v1_WatchPricesRequest, _catalog_v1_PriceChange, _catalog_v1_WatchPricesRequest__Output, _catalog_v1_PriceChange__Output>
}
