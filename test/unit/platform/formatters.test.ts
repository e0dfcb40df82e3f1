import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brazilTimeZone, dateTimeFormat, localDateTime, numberFormat } from "../../../src/platform/i18n/formatters.js";

const shortDateTime: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short", timeZone: brazilTimeZone };
const twoDecimals: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2 };

describe("cached Intl formatters", () => {
  it("builds one formatter per locale and options object, and reuses it", () => {
    const first = dateTimeFormat("pt-BR", shortDateTime);
    assert.equal(dateTimeFormat("pt-BR", shortDateTime), first);
    assert.notEqual(dateTimeFormat("en-GB", shortDateTime), first, "another locale, another formatter");
    assert.equal(numberFormat("pt-BR", twoDecimals), numberFormat("pt-BR", twoDecimals));
  });

  it("formats as a formatter built on the spot does", () => {
    const when = new Date("2026-03-05T02:07:09Z");
    assert.equal(dateTimeFormat("pt-BR", shortDateTime).format(when), "04/03/2026, 23:07");
    assert.equal(numberFormat("pt-BR", twoDecimals).format(1234567.8), "1.234.567,80");
    assert.equal(numberFormat("en-US", twoDecimals).format(1234567.8), "1,234,567.80");
  });

  it("prints what toLocaleString prints in Brasília time, in both languages", () => {
    for (const iso of ["2026-03-05T02:07:09Z", "2026-12-25T15:00:00Z"]) {
      for (const locale of ["pt-BR", "en"]) assert.equal(localDateTime(locale, iso), new Date(iso).toLocaleString(locale, { timeZone: brazilTimeZone }));
    }
    assert.equal(localDateTime("pt-BR", null), "—");
  });
});
