import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CatalogClient as _catalog_v1_CatalogClient, CatalogDefinition as _catalog_v1_CatalogDefinition } from './catalog/v1/Catalog.js';
import type { GetProductRequest as _catalog_v1_GetProductRequest, GetProductRequest__Output as _catalog_v1_GetProductRequest__Output } from './catalog/v1/GetProductRequest.js';
import type { GetStockRequest as _catalog_v1_GetStockRequest, GetStockRequest__Output as _catalog_v1_GetStockRequest__Output } from './catalog/v1/GetStockRequest.js';
import type { InventoryClient as _catalog_v1_InventoryClient, InventoryDefinition as _catalog_v1_InventoryDefinition } from './catalog/v1/Inventory.js';
import type { ListProductsRequest as _catalog_v1_ListProductsRequest, ListProductsRequest__Output as _catalog_v1_ListProductsRequest__Output } from './catalog/v1/ListProductsRequest.js';
import type { ListProductsResponse as _catalog_v1_ListProductsResponse, ListProductsResponse__Output as _catalog_v1_ListProductsResponse__Output } from './catalog/v1/ListProductsResponse.js';
import type { PriceChange as _catalog_v1_PriceChange, PriceChange__Output as _catalog_v1_PriceChange__Output } from './catalog/v1/PriceChange.js';
import type { Product as _catalog_v1_Product, Product__Output as _catalog_v1_Product__Output } from './catalog/v1/Product.js';
import type { Quote as _catalog_v1_Quote, Quote__Output as _catalog_v1_Quote__Output } from './catalog/v1/Quote.js';
import type { QuoteRequest as _catalog_v1_QuoteRequest, QuoteRequest__Output as _catalog_v1_QuoteRequest__Output } from './catalog/v1/QuoteRequest.js';
import type { Stock as _catalog_v1_Stock, Stock__Output as _catalog_v1_Stock__Output } from './catalog/v1/Stock.js';
import type { WatchPricesRequest as _catalog_v1_WatchPricesRequest, WatchPricesRequest__Output as _catalog_v1_WatchPricesRequest__Output } from './catalog/v1/WatchPricesRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  catalog: {
    v1: {
      Catalog: SubtypeConstructor<typeof grpc.Client, _catalog_v1_CatalogClient> & { service: _catalog_v1_CatalogDefinition }
      GetProductRequest: MessageTypeDefinition<_catalog_v1_GetProductRequest, _catalog_v1_GetProductRequest__Output>
      GetStockRequest: MessageTypeDefinition<_catalog_v1_GetStockRequest, _catalog_v1_GetStockRequest__Output>
      /**
       * The catalogue's own dependency, so a deadline has a second hop to reach.
       */
      Inventory: SubtypeConstructor<typeof grpc.Client, _catalog_v1_InventoryClient> & { service: _catalog_v1_InventoryDefinition }
      ListProductsRequest: MessageTypeDefinition<_catalog_v1_ListProductsRequest, _catalog_v1_ListProductsRequest__Output>
      ListProductsResponse: MessageTypeDefinition<_catalog_v1_ListProductsResponse, _catalog_v1_ListProductsResponse__Output>
      PriceChange: MessageTypeDefinition<_catalog_v1_PriceChange, _catalog_v1_PriceChange__Output>
      Product: MessageTypeDefinition<_catalog_v1_Product, _catalog_v1_Product__Output>
      Quote: MessageTypeDefinition<_catalog_v1_Quote, _catalog_v1_Quote__Output>
      QuoteRequest: MessageTypeDefinition<_catalog_v1_QuoteRequest, _catalog_v1_QuoteRequest__Output>
      Stock: MessageTypeDefinition<_catalog_v1_Stock, _catalog_v1_Stock__Output>
      WatchPricesRequest: MessageTypeDefinition<_catalog_v1_WatchPricesRequest, _catalog_v1_WatchPricesRequest__Output>
    }
  }
}

