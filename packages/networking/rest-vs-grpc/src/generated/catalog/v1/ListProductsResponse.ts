// Original file: proto/catalog.proto

import type { Product as _catalog_v1_Product, Product__Output as _catalog_v1_Product__Output } from '../../catalog/v1/Product.js';

export interface ListProductsResponse {
  'products'?: (_catalog_v1_Product)[];
}

export interface ListProductsResponse__Output {
  'products': (_catalog_v1_Product__Output)[];
}
