/**
 * The report fonts, read and parsed once per thread (the process, or each
 * pool worker), never per document.
 *
 * pdfmake hands its font files to pdfkit for every new document, and pdfkit
 * parses them again with fontkit (`fontkit.create`) and starts an empty text
 * layout cache: that re-decoding was most of the rendering time, and most of
 * the garbage. Two small hooks keep both across documents:
 * - `fontkit.create` is remembered per font buffer (the printer's buffers are
 *   made once, so each font is parsed once); a fontkit font is read-only once
 *   parsed, and each document still makes its own subset of it;
 * - each document's embedded font shares one layout cache per fontkit font
 *   (word → glyphs and advances, in the font's units scaled to 1000/em: the
 *   same for every document, and never written to after it is cached).
 * Both hooks are on pdfmake 0.2's own modules, resolved from pdfmake itself
 * (`@foliojs-fork/pdfkit`'s fontkit, `pdfmake/src/fontProvider.js`).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type FontFiles = { normal: Buffer; bold: Buffer; italics: Buffer; bolditalics: Buffer };

interface Fontkit {
  create(buffer: Buffer, postscriptName?: string): object;
}
interface EmbeddedFont {
  font?: object;
  layoutCache?: Record<string, unknown>;
}
interface FontProviderClass {
  prototype: { provideFont(this: unknown, ...args: unknown[]): EmbeddedFont };
}

let installed = false;

/** Installs the two hooks once; idempotent. */
export function reuseFontsAcrossDocuments(): void {
  if (installed) return;
  installed = true;
  const pdfmakeRequire = createRequire(require.resolve("pdfmake"));
  const fontkit = createRequire(pdfmakeRequire.resolve("@foliojs-fork/pdfkit"))("@foliojs-fork/fontkit") as Fontkit;
  const create = fontkit.create.bind(fontkit);
  const parsed = new WeakMap<Buffer, object>();
  fontkit.create = (buffer, postscriptName) => {
    // A named face of a collection (.ttc) is parsed as asked; the report fonts are single faces.
    if (postscriptName !== undefined || !Buffer.isBuffer(buffer)) return create(buffer, postscriptName);
    let font = parsed.get(buffer);
    if (!font) parsed.set(buffer, (font = create(buffer)));
    return font;
  };

  const FontProvider = pdfmakeRequire("pdfmake/src/fontProvider.js") as FontProviderClass;
  const provideFont = FontProvider.prototype.provideFont;
  const layouts = new WeakMap<object, Record<string, unknown>>();
  FontProvider.prototype.provideFont = function (...args) {
    const embedded = provideFont.apply(this, args);
    if (embedded.font && embedded.layoutCache) {
      const shared = layouts.get(embedded.font);
      if (shared) embedded.layoutCache = shared;
      else layouts.set(embedded.font, embedded.layoutCache);
    }
    return embedded;
  };
}

/** Roboto from pdfmake's vfs (Latin-1 + Latin Extended: every Portuguese accent, "º", "–"), decoded from base64 once. */
export function robotoFiles(): FontFiles {
  const vfsModule = require("pdfmake/build/vfs_fonts.js") as Record<string, unknown>;
  const vfs = ((vfsModule.pdfMake as { vfs?: Record<string, string> } | undefined)?.vfs ??
    (vfsModule.vfs as Record<string, string> | undefined) ??
    vfsModule) as Record<string, string>;
  const font = (name: string) => Buffer.from(vfs[name], "base64");
  return {
    normal: font("Roboto-Regular.ttf"),
    bold: font("Roboto-Medium.ttf"),
    italics: font("Roboto-Italic.ttf"),
    bolditalics: font("Roboto-MediumItalic.ttf"),
  };
}
