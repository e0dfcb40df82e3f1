import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { divRoundHalfUp, lineTotalCents, parseQuantity } from "../../../src/modules/reports/decimal.js";
import {
  formatBRL,
  formatCpfCnpj,
  formatDate,
  formatDateBR,
  formatPercent,
  formatQuantity,
  quantityColumnFormatter,
  quantityDecimals,
} from "../../../src/modules/reports/format.js";

describe("formatBRL", () => {
  it("formats cents the Brazilian way", () => {
    assert.equal(formatBRL(0), "R$ 0,00");
    assert.equal(formatBRL(1), "R$ 0,01");
    assert.equal(formatBRL(99), "R$ 0,99");
    assert.equal(formatBRL(100), "R$ 1,00");
    assert.equal(formatBRL(123456), "R$ 1.234,56");
    assert.equal(formatBRL(100000000), "R$ 1.000.000,00");
    assert.equal(formatBRL(1234567890), "R$ 12.345.678,90");
  });
  it("formats negative values with the sign first", () => {
    assert.equal(formatBRL(-5), "-R$ 0,05");
    assert.equal(formatBRL(-123456), "-R$ 1.234,56");
    assert.equal(formatBRL(-1234567890), "-R$ 12.345.678,90");
    assert.equal(formatBRL(-0), "R$ 0,00");
  });
  it("is exact beyond float precision (bigint cents)", () => {
    assert.equal(formatBRL(Number.MAX_SAFE_INTEGER), "R$ 90.071.992.547.409,91");
    assert.equal(formatBRL(123456789012345678901n), "R$ 1.234.567.890.123.456.789,01");
    assert.equal(formatBRL(-123456789012345678901n), "-R$ 1.234.567.890.123.456.789,01");
  });
  it("uses plain spaces, never NBSP", () => {
    assert.ok(!formatBRL(123456).includes("\u00a0"));
  });
  it("keeps BRL with English separators in en", () => {
    assert.equal(formatBRL(1234567890, "en"), "R$ 12,345,678.90");
    assert.equal(formatBRL(-5, "en"), "-R$ 0.05");
    assert.equal(formatBRL(0, "en"), "R$ 0.00");
  });
  it("refuses non-integer or unsafe cents", () => {
    assert.throws(() => formatBRL(1.5), /integer/);
    assert.throws(() => formatBRL(Number.NaN), /integer/);
    assert.throws(() => formatBRL(2 ** 60), /integer/);
  });
});

describe("formatDateBR / formatDate", () => {
  it("prints ISO days without any time zone shift", () => {
    assert.equal(formatDateBR("2026-11-28"), "28/11/2026");
    assert.equal(formatDateBR("2027-01-01"), "01/01/2027");
  });
  it("prints timestamps as the day in São Paulo", () => {
    assert.equal(formatDateBR("2026-01-01T02:00:00Z"), "31/12/2025");
    assert.equal(formatDateBR("2026-11-28T15:00:00.000Z"), "28/11/2026");
    assert.equal(formatDateBR("2026-11-28T23:30:00-03:00"), "28/11/2026");
  });
  it("prints English dates unambiguously", () => {
    assert.equal(formatDate("2026-11-28", "en"), "28 Nov 2026");
    assert.equal(formatDate("2026-11-28", "pt-BR"), "28/11/2026");
  });
  it("refuses what is not an ISO date", () => {
    assert.throws(() => formatDateBR("28/11/2026"), RangeError);
    assert.throws(() => formatDateBR("2026-13-45T00:00:00Z"), RangeError);
    assert.throws(() => formatDateBR(""), RangeError);
  });
});

describe("formatCpfCnpj", () => {
  it("formats CPF and CNPJ digits", () => {
    assert.equal(formatCpfCnpj("12345678909"), "123.456.789-09");
    assert.equal(formatCpfCnpj("00000000191"), "000.000.001-91");
    assert.equal(formatCpfCnpj("11222333000181"), "11.222.333/0001-81");
    assert.equal(formatCpfCnpj("00623904000173"), "00.623.904/0001-73");
  });
  it("accepts already punctuated input", () => {
    assert.equal(formatCpfCnpj("123.456.789-09"), "123.456.789-09");
    assert.equal(formatCpfCnpj(" 11.222.333/0001-81 "), "11.222.333/0001-81");
  });
  it("formats the alphanumeric CNPJ", () => {
    assert.equal(formatCpfCnpj("12abc34501de35"), "12.ABC.345/01DE-35");
  });
  it("returns other identifiers as given", () => {
    assert.equal(formatCpfCnpj("P1234567"), "P1234567");
    assert.equal(formatCpfCnpj("123"), "123");
    assert.equal(formatCpfCnpj(""), "");
  });
});

describe("formatQuantity", () => {
  it("uses comma decimals and dot thousands, 2 to 4 decimals", () => {
    assert.equal(formatQuantity("1234.5"), "1.234,50");
    assert.equal(formatQuantity("0.1255"), "0,1255");
    assert.equal(formatQuantity("12.340"), "12,34");
    assert.equal(formatQuantity(0), "0,00");
    assert.equal(formatQuantity("0"), "0,00");
    assert.equal(formatQuantity(10), "10,00");
    assert.equal(formatQuantity("1234567.1234"), "1.234.567,1234");
    assert.equal(formatQuantity("12,5"), "12,50");
    assert.equal(formatQuantity(7n), "7,00");
  });
  it("handles negative values", () => {
    assert.equal(formatQuantity(-3), "-3,00");
    assert.equal(formatQuantity("-0.0001"), "-0,0001");
    assert.equal(formatQuantity("-1234.5"), "-1.234,50");
    assert.equal(formatQuantity("-0"), "0,00");
  });
  it("absorbs float noise in numbers, refuses extra decimals in strings", () => {
    assert.equal(formatQuantity(0.1 + 0.2), "0,30");
    assert.equal(formatQuantity(1e-7), "0,00");
    assert.equal(formatQuantity(1.00005), "1,0001");
    assert.equal(formatQuantity(1e21), "1.000.000.000.000.000.000.000,00");
    assert.throws(() => formatQuantity("1.23456"), /more than 4 decimals/);
    assert.throws(() => formatQuantity("1e3"), /not a decimal/);
    assert.throws(() => formatQuantity("abc"), /not a decimal/);
    assert.throws(() => formatQuantity(Number.POSITIVE_INFINITY), /finite/);
  });
  it("rounds half-up when fewer decimals are asked", () => {
    assert.equal(formatQuantity("2.345", "pt-BR", { maxDecimals: 2 }), "2,35");
    assert.equal(formatQuantity("-2.345", "pt-BR", { maxDecimals: 2 }), "-2,35");
    assert.equal(formatQuantity("2.5", "pt-BR", { minDecimals: 0, maxDecimals: 0 }), "3");
    assert.equal(formatQuantity("1.5", "pt-BR", { minDecimals: 4 }), "1,5000");
  });
  it("uses English separators in en", () => {
    assert.equal(formatQuantity("1234.5", "en"), "1,234.50");
  });
  it("aligns a column on the decimals its values need", () => {
    assert.equal(quantityDecimals("12.50"), 1);
    assert.equal(quantityDecimals("3.1416"), 4);
    assert.equal(quantityDecimals(7), 0);
    const column = quantityColumnFormatter(["1", "2.5", "3.125"]);
    assert.deepEqual(["1", "2.5", "3.125"].map(column), ["1,000", "2,500", "3,125"]);
    assert.equal(quantityColumnFormatter(["1", "2"])("1"), "1,00");
  });
});

describe("exact money arithmetic", () => {
  it("rounds quantity × unit price half-up to cents", () => {
    assert.equal(lineTotalCents("2.5", 3), 8n); // 7.5 → 8
    assert.equal(lineTotalCents("-2.5", 3), -8n); // symmetric
    assert.equal(lineTotalCents("0.0005", 1), 0n);
    assert.equal(lineTotalCents("0.005", 100), 1n); // 0.5 cent → 1
    assert.equal(lineTotalCents("0.0049", 100), 0n);
    assert.equal(lineTotalCents(0.1, 3), 0n);
    assert.equal(lineTotalCents("100", 1999), 199900n);
    assert.equal(lineTotalCents("137.7919", 106728), 14706254n); // 14 706 253.9032 → 14 706 254
  });
  it("stays exact where floats are not", () => {
    // 1234567.8901 × 12345 cents = 15 240 740 603.2845 cents
    assert.equal(lineTotalCents("1234567.8901", 12345), 15240740603n);
    assert.equal(lineTotalCents("1.005", 100), 101n); // 100.5 cents exactly
    assert.equal(Math.round(1.005 * 100), 100); // what float arithmetic would print
    assert.equal(lineTotalCents("99999999.9999", 99999999), 9999999899990000n);
  });
  it("parses and divides exactly", () => {
    assert.equal(parseQuantity("1.5"), 15000n);
    assert.equal(parseQuantity("-0,25"), -2500n);
    assert.equal(divRoundHalfUp(5n, 2n), 3n);
    assert.equal(divRoundHalfUp(-5n, 2n), -3n);
    assert.equal(divRoundHalfUp(4n, 3n), 1n);
  });
  it("formats percentages", () => {
    assert.equal(formatPercent(1n, 3n), "33,33%");
    assert.equal(formatPercent(2n, 3n), "66,67%");
    assert.equal(formatPercent(5n, 0n), "–");
    assert.equal(formatPercent(3n, 2n, "en"), "150.00%");
  });
});
