import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const zlibBan = ['zlib', 'node:zlib'].map((name) => ({ name, message: 'use the capped codecs in detect/decode; raw zlib can be bombed.' }));
const ioModules = ['fs', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'child_process', 'worker_threads', 'cluster', 'os', 'process', 'readline', 'stream'];
const ioBan = ioModules.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'detect/ is pure: pass data in, do no I/O here.' }));
const layerBan = [{ group: ['**/store/**', '**/sources/**', '**/notify/**', '**/api/**'], message: 'detect/ must not depend on sources or sinks.' }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'ui/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['appliance/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The phone's page renders what traffic carried (hosts, headers, payloads): only through Lit's
    // text bindings, never as markup.
    files: ['ui/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { paths: [
        { name: 'lit/directives/unsafe-html.js', message: 'render data as text: it came from traffic.' },
        { name: 'lit/directives/unsafe-svg.js', message: 'render data as text: it came from traffic.' },
        { name: 'lit/directives/unsafe-mathml.js', message: 'render data as text: it came from traffic.' },
      ] }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'render through Lit templates: data from traffic must stay text.' },
        { property: 'outerHTML', message: 'render through Lit templates: data from traffic must stay text.' },
        { property: 'insertAdjacentHTML', message: 'render through Lit templates: data from traffic must stay text.' },
      ],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: 'no document.write.' }],
    },
  },
  {
    // Decompression anywhere but the capped codecs can be bombed.
    files: ['appliance/src/**/*.ts'],
    ignores: ['appliance/src/detect/**'],
    rules: { 'no-restricted-imports': ['error', { paths: zlibBan }] },
  },
  {
    // detect/ is pure: no I/O, no clock, no timers, no globals. Time comes from flow.time.
    files: ['appliance/src/detect/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioBan, patterns: layerBan }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'detect/ is pure: use flow.time.' },
        { object: 'Math', property: 'random', message: 'detect/ is deterministic.' },
        { object: 'process', property: 'env', message: 'detect/ takes its settings as arguments.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'detect/ has no timers.' },
        { name: 'setInterval', message: 'detect/ has no timers.' },
        { name: 'fetch', message: 'detect/ does no I/O.' },
      ],
    },
  },
  {
    files: ['appliance/src/detect/**/*.ts'],
    ignores: ['appliance/src/detect/decode/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [...ioBan, ...zlibBan], patterns: layerBan }] },
  },
);
