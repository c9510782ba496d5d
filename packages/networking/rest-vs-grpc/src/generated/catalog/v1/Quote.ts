// Original file: proto/catalog.proto


export interface Quote {
  'sku'?: (string);
  'quantity'?: (number);
  'totalCents'?: (number);
}

export interface Quote__Output {
  'sku': (string);
  'quantity': (number);
  'totalCents': (number);
}
