import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Dependency direction (style.md A): core imports nothing; rules never reach collectors, the engine or the CLI.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../rules/*', '../engine/*', '../collect/*', '../report/*', '../cli/*', 'node:*'] }] },
  },
  {
    files: ['src/rules/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/engine/*', '**/collect/**', '**/report/*', '**/cli/*', 'node:*'] }] },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
  },
);
