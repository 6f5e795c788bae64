// One flat config for every workspace: each runs `eslint .` in its own folder and ESLint finds
// this file by walking up. Paths in `files` / `ignores` are relative to this file (the repo root).
import { builtinModules } from 'node:module';

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Modules the pure core must not reach: I/O, the database, transports, logging, the model SDK. */
const impureModules = [
  ...builtinModules,
  'drizzle-orm',
  'postgres',
  'pino',
  'ai',
  '@baton/db',
  '@baton/runtime',
];

export default defineConfig(
  globalIgnores([
    '**/node_modules/**',
    '**/dist/**',
    '**/.next/**',
    '**/.turbo/**',
    '**/.baton/**',
    '**/migrations/**',
    '**/coverage/**',
    '**/test-results/**',
    '**/playwright-report/**',
    '**/next-env.d.ts',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: root,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // import-x only follows imports into files with these extensions; without them
      // no-cycle silently sees no .ts module at all.
      'import-x/extensions': ['.ts', '.tsx', '.cts', '.mts', '.js', '.jsx', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.cts', '.mts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          alwaysTryTypes: true,
          noWarnOnMultipleProjects: true,
          project: [
            `${root}/apps/*/tsconfig.json`,
            `${root}/packages/*/tsconfig.json`,
            `${root}/e2e/tsconfig.json`,
            `${root}/bench/tsconfig.json`,
          ],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Plain JS (this file, future *.config.js) is not part of any tsconfig.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // PURITY: the domain is a pure transition — no I/O, no clock, no randomness, no env.
    // Time, ids and randomness are inputs (STYLE.md rule 5). Applies to tests there too.
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impureModules.map((name) => ({
            name,
            message: 'packages/domain is pure: do the I/O in apps/runtime and pass the result in.',
          })),
          patterns: [
            {
              regex:
                '^(node:|@electric-sql/|@trpc/|drizzle-orm/|postgres/|pino/|ai/|@baton/(db|runtime)/)',
              message:
                'packages/domain is pure: do the I/O in apps/runtime and pass the result in.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'console',
          'setTimeout',
          'setInterval',
          'setImmediate',
          'queueMicrotask',
          'fetch',
          'require',
          'performance',
        ].map((name) => ({
          name,
          message: `packages/domain is pure: '${name}' is I/O, time or env; take what you need as an argument.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass the time in (e.g. `now: Date`).' },
        { object: 'Math', property: 'random', message: 'Pass randomness or ids in.' },
        { object: 'crypto', property: 'randomUUID', message: 'Pass ids in.' },
        { object: 'crypto', property: 'getRandomValues', message: 'Pass randomness in.' },
        { object: 'globalThis', property: 'process', message: 'packages/domain is pure: no env.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: '`new Date()` reads the clock: pass the time in.',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: '`Date()` reads the clock: pass the time in.',
        },
        {
          selector: 'ImportExpression',
          message: 'No dynamic import in packages/domain: it hides I/O from the import rules.',
        },
      ],
    },
  },
);
