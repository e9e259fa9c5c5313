// Read once: the package version is the exporter's version in build info, /status.json and the API.
export const VERSION: string = (require('../../package.json') as { version: string }).version;
