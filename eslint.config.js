import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test-results/', 'models/**/*.json', '.scratch*'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // noUncheckedIndexedAccess makes every indexed read optional; asserting checked indices is fine.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The back end is plain Node: no Electron, no React, no DOM.
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['electron', 'react', 'react-dom', '@cornerstonejs/core', '@cornerstonejs/tools'] },
      ],
    },
  },
  {
    // The API contract is shared with the renderer: no Node imports.
    files: ['main/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'react'] }],
    },
  },
  {
    // The renderer runs sandboxed in a browser: no Node, no Electron; from main/ only the API contract.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(node:|electron$)', message: 'The renderer may not import Node or Electron.' },
            { regex: '/main/(?!api/)', message: 'The renderer may import only main/api from the back end.' },
            {
              regex: '/electron/(?!bridge\\.js$)',
              message: 'The renderer may import only electron/bridge (types).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
