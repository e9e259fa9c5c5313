/** What the configuration page stores: the URL in jsonData, the token only in secureJsonData. */
export type AppSettings = {
  url?: string;
};

export const TOKEN_FIELD = 'token';
