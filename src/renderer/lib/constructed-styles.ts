/**
 * xterm.js writes its theme, cell size and scrollbar rules into `<style>`
 * elements it creates at run time, which our Content-Security-Policy
 * (`style-src 'self'`, no 'unsafe-inline') refuses. While a terminal is on
 * screen, `document.createElement('style')` hands out a stand-in instead: a
 * plain element whose text goes into a constructed stylesheet adopted by
 * the document. Constructed stylesheets are CSSOM, which CSP does not
 * restrict, so the terminal keeps its look without weakening the policy.
 */
let users = 0;
let restore: (() => void) | undefined;

export function useConstructedStyles(document: Document): () => void {
  users++;
  if (users === 1) restore = install(document);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users--;
    if (users === 0) {
      restore?.();
      restore = undefined;
    }
  };
}

function install(document: Document): () => void {
  const original = document.createElement;
  const sheets = new Set<CSSStyleSheet>();
  const create = function (this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
    if (tagName.toLowerCase() !== 'style' || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) {
      return original.call(this, tagName, options);
    }
    return styleStandIn(document, sheets);
  };
  document.createElement = create as typeof document.createElement;
  return () => {
    document.createElement = original;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => !sheets.has(sheet));
    sheets.clear();
  };
}

/** An element with no text of its own: its `textContent` becomes a constructed sheet; `remove()` drops it. */
function styleStandIn(document: Document, sheets: Set<CSSStyleSheet>): HTMLElement {
  const element = document.createElementNS('http://www.w3.org/1999/xhtml', 'jwb-style') as HTMLElement;
  element.hidden = true;
  const sheet = new CSSStyleSheet();
  let text = '';
  sheets.add(sheet);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  Object.defineProperty(element, 'textContent', {
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    sheets.delete(sheet);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
    remove();
  };
  return element;
}
