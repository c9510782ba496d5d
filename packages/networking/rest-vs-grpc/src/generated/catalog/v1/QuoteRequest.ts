// Original file: proto/catalog.proto


export interface QuoteRequest {
  'sku'?: (string);
  'quantity'?: (number);
}

export interface QuoteRequest__Output {
  'sku': (string);
  'quantity': (number);
}
