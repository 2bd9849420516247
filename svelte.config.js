// Read by vite-plugin-svelte (the renderer build and the renderer tests) and by svelte-check.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  vitePlugin: {
    // Runes mode for our own components, so a legacy `export let` or `$:` is a
    // compile error rather than a style remark. Libraries (Testing Library's
    // wrapper among them) still compile the way they were written.
    dynamicCompileOptions({ filename }) {
      return /(^|\/)src\/renderer\//.test(filename) ? { runes: true } : undefined;
    },
  },
};
