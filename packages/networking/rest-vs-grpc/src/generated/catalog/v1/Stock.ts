// Original file: proto/catalog.proto


export interface Stock {
  'sku'?: (string);
  'units'?: (number);
}

export interface Stock__Output {
  'sku': (string);
  'units': (number);
}
