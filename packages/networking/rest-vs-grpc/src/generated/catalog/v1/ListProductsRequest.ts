// Original file: proto/catalog.proto


export interface ListProductsRequest {
  /**
   * How many products to return, 1 to 100.
   */
  'limit'?: (number);
}

export interface ListProductsRequest__Output {
  /**
   * How many products to return, 1 to 100.
   */
  'limit': (number);
}
