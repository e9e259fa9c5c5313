/** What the configuration page stores: the URL in jsonData, the token only in secureJsonData. */
export type AppSettings = {
  url?: string;
  /** A traces data source (Tempo, Jaeger, Zipkin): rule runs' trace ids open in Explore on it. */
  tracesDatasourceUid?: string;
};

export const TOKEN_FIELD = 'token';
