// Vite turns a CSS import into a stylesheet file of the build; it has no exports.
declare module '*.css' {}
