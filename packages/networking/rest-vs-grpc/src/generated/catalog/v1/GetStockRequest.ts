// Original file: proto/catalog.proto


export interface GetStockRequest {
  'sku'?: (string);
}

export interface GetStockRequest__Output {
  'sku': (string);
}
