// Original file: proto/catalog.proto


export interface GetProductRequest {
  'sku'?: (string);
}

export interface GetProductRequest__Output {
  'sku': (string);
}
