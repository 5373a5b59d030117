import { render } from 'preact';
import { App } from './app.tsx';

/** The console's entry point: `/console/app.js` is this file bundled by esbuild (src/api/console-bundle.ts). */
const root = document.getElementById('app');
if (root === null) throw new Error('the console shell has no #app element: is / serving the console page?');
render(<App />, root);
