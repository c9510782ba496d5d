// Original file: proto/catalog.proto


export interface PriceChange {
  'sku'?: (string);
  'priceCents'?: (number);
  /**
   * Milliseconds since the epoch, when the price changed.
   */
  'changedAt'?: (number | string);
}

export interface PriceChange__Output {
  'sku': (string);
  'priceCents': (number);
  /**
   * Milliseconds since the epoch, when the price changed.
   */
  'changedAt': (number);
}
