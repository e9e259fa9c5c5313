// Timezone fixed so rendered dates do not depend on the machine running the tests.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

module.exports = {
  ...base,
  // Node's fetch, Response and streams in a DOM environment: what msw needs to intercept requests.
  testEnvironment: 'jest-fixed-jsdom',
  transform: {
    ...base.transform,
    // d3 and a few Grafana dependencies ship only .mjs files.
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
  transformIgnorePatterns: [
    nodeModulesToTransform([
      ...grafanaESModules,
      '@open-draft',
      'until-async',
      'rettime',
      '@mswjs',
      'outvariant',
      'strict-event-emitter',
      'yaml',
    ]),
  ],
  testTimeout: 30000,
  // CI adds up the results of every workspace's jest runs through this processor.
  testResultsProcessor: '<rootDir>/../scripts/jest-report.js',
};
