import { defineConfig } from 'eslint/config';
import grafanaConfig from '@grafana/eslint-config';

// The scaffold's .config/eslint.config.mjs (create-plugin 7.1.7) imports '@grafana/eslint-config/flat.js',
// which only @grafana/eslint-config 9 has, and version 9 needs the deprecated @stylistic/eslint-plugin-ts.
// Version 10 exports the same flat config as its main entry and uses @stylistic/eslint-plugin, so this
// file builds on it directly, with the scaffold's own additions below; .config/ stays untouched. When
// create-plugin ships a .config for version 10, spread './.config/eslint.config.mjs' here again instead.
const scaffoldAdditions = [
  ...grafanaConfig,
  {
    rules: {
      'react/prop-types': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.json',
      },
    },
    rules: {
      '@typescript-eslint/no-deprecated': 'warn',
    },
  },
  {
    files: ['./tests/**/*'],
    rules: {
      'react-hooks/rules-of-hooks': 'off',
    },
  },
];

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      // Generated from the exporter's OpenAPI document; checked by `npm run openapi:check` instead.
      'src/api/openapi.gen.ts',
      'src/api/openapi-enums.gen.ts',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...scaffoldAdditions,
]);
