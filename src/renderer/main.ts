/** The renderer's entry: open the bridge to the core and mount the app. */
// First: configures zod before the contract's schemas are built (see the file).
import './lib/zod-jitless.ts';
import { mount } from 'svelte';
import App from './App.svelte';
import { openBridge } from './lib/bridge.ts';
import './styles/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks the #app element');

const handle = openBridge(window);
mount(App, {
  target,
  props: { bridge: handle.bridge, connection: handle.connection, browserLanguages: navigator.languages },
});
