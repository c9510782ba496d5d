// Original file: proto/catalog.proto


export interface Product {
  'sku'?: (string);
  'name'?: (string);
  'description'?: (string);
  'priceCents'?: (number);
  'currency'?: (string);
  'stock'?: (number);
  'tags'?: (string)[];
}

export interface Product__Output {
  'sku': (string);
  'name': (string);
  'description': (string);
  'priceCents': (number);
  'currency': (string);
  'stock': (number);
  'tags': (string)[];
}
