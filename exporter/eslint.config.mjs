import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['dist/**', 'node_modules/**', 'bin/**', 'jest.config.js'] }, ...tseslint.configs.recommended, {
  rules: {
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    '@typescript-eslint/no-require-imports': 'off',
    complexity: ['warn', 15],
    'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
  },
});
