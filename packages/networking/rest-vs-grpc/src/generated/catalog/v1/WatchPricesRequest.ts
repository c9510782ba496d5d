// Original file: proto/catalog.proto


export interface WatchPricesRequest {
  'skus'?: (string)[];
}

export interface WatchPricesRequest__Output {
  'skus': (string)[];
}
