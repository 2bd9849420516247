import { defineConfig } from 'vite';

// Electron main process. Native modules cannot be bundled: serialport's
// bindings and ssh2's optional crypto addon stay external and ship in
// node_modules (Forge issues #3738, #3917).
export default defineConfig({
  build: {
    rollupOptions: {
      external: ['serialport', '@serialport/bindings-cpp', 'ssh2', 'cpu-features'],
    },
  },
});
