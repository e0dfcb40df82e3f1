import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
const mode = process.argv[2] ?? "base";
const require = createRequire(import.meta.url);
const pdfkitPath = require.resolve("@foliojs-fork/pdfkit");
const fontkit = createRequire(pdfkitPath)("@foliojs-fork/fontkit");
if (mode !== "base") {
  const created = new WeakMap<Buffer, unknown>();
  const create = fontkit.create;
  fontkit.create = (buffer: Buffer, family?: string) => {
    if (family) return create(buffer, family);
    let f = created.get(buffer);
    if (!f) created.set(buffer, (f = create(buffer)));
    return f;
  };
}
if (mode === "layout") {
  const FontProvider = require("pdfmake/src/fontProvider.js");
  const provide = FontProvider.prototype.provideFont;
  const shared = new WeakMap<object, object>();
  FontProvider.prototype.provideFont = function (...args: unknown[]) {
    const font = provide.apply(this, args);
    if (font.layoutCache && font.font) {
      let cache = shared.get(font.font);
      if (!cache) shared.set(font.font, (cache = font.layoutCache));
      font.layoutCache = cache;
    }
    return font;
  };
}
const { renderReport } = await import("../../src/modules/reports/index.js");
const { measurementInput } = await import("../../test/unit/reports/fixtures.js");
for (const items of [10, 50, 300]) {
  const input = measurementInput(items);
  for (let i = 0; i < 3; i++) await renderReport("measurement", input);
  const t: number[] = [];
  for (let i = 0; i < 9; i++) { const t0 = performance.now(); await renderReport("measurement", input); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  console.log(mode, items, t[4].toFixed(1));
}
