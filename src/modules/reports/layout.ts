/**
 * Building blocks shared by the five reports: page frame (header with company
 * and project on every page, footer "Página N de M"), parties, contract
 * summary, item tables, totals and the signature block.
 */
import type { Content, ContentTable, CustomTableLayout, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { lineTotalCents, toCents } from "./decimal.js";
import { formatBRL, formatCpfCnpj, formatDate, formatQuantity, quantityColumnFormatter } from "./format.js";
import { type Labels, labels } from "./labels.js";
import type { Cents, Locale, Quantity, ReportBase, ReportContractItem, ReportProcess } from "./types.js";
import { AppError } from "../../platform/errors.js";

export interface ReportContext {
  process: ReportProcess;
  locale: Locale;
  l: Labels;
  input: ReportBase;
  issuedAt: string;
  money: (cents: Cents) => string;
  date: (iso: string) => string;
  qty: (q: Quantity) => string;
  /** A formatter giving every value of a table the same decimals (see quantityColumnFormatter). */
  qtyColumn: (values: Iterable<Quantity>) => (q: Quantity) => string;
}

export function createContext(process: ReportProcess, input: ReportBase, locale: Locale): ReportContext {
  return {
    process,
    locale,
    l: labels[locale],
    input,
    issuedAt: input.issuedAt ?? new Date().toISOString(),
    money: (cents) => formatBRL(cents, locale),
    date: (iso) => formatDate(iso, locale),
    qty: (q) => formatQuantity(q, locale),
    qtyColumn: (values) => quantityColumnFormatter(values, locale),
  };
}

const INK = "#1a1a1a";
const MUTED = "#555555";
const RULE = "#9a9a9a";
const HEADER_FILL = "#e6e9ee";
const ZEBRA_FILL = "#f5f6f8";
const TOTAL_FILL = "#eef0f3";

/** Light grid and shaded header; zebra bands are set per item (see dataTable). */
export const gridLayout: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 0 || i === (node.table.headerRows ?? 0) || i === node.table.body.length ? 0.8 : 0.3),
  vLineWidth: () => 0.3,
  hLineColor: () => RULE,
  vLineColor: () => RULE,
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
  fillColor: (rowIndex, node) => (rowIndex < (node.table.headerRows ?? 0) ? HEADER_FILL : null),
};

const fieldsLayout: CustomTableLayout = {
  hLineWidth: () => 0.3,
  vLineWidth: () => 0.3,
  hLineColor: () => RULE,
  vLineColor: () => RULE,
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 3,
  paddingBottom: () => 3,
  fillColor: (_row, _node, column) => (column % 2 === 0 ? HEADER_FILL : null),
};

export interface FrameOptions {
  /** Record line under the title, e.g. "nº 3 – Contrato CT-001". */
  recordLine: string;
  content: Content[];
  landscape?: boolean;
}

/** The full document: header on every page, footer with "Página N de M", title, then the content. */
export function documentFrame(ctx: ReportContext, options: FrameOptions): TDocumentDefinitions {
  const { l, input } = ctx;
  const title = l.titles[ctx.process];
  const projectLine = [`${l.project}: ${input.project.code} – ${input.project.name}`, input.project.address]
    .filter(Boolean)
    .join(" · ");
  const companyLine = input.company.document
    ? `${input.company.name} · CNPJ ${formatCpfCnpj(input.company.document)}`
    : input.company.name;
  const margin = options.landscape ? 30 : 40;
  const footerText = `${title} ${options.recordLine} · ${l.issuedAt} ${ctx.date(ctx.issuedAt)}`;

  return {
    pageSize: "A4",
    pageOrientation: options.landscape ? "landscape" : "portrait",
    pageMargins: [margin, 62, margin, 44],
    info: {
      title: `${title} ${options.recordLine}`,
      author: input.company.name,
      subject: `${input.project.code} – ${input.project.name}`,
      creator: "obrasign",
      producer: "obrasign",
      // Fixed dates make the same input give the same bytes (files are stored by SHA-256).
      creationDate: new Date(ctx.issuedAt),
      modDate: new Date(ctx.issuedAt),
    },
    defaultStyle: { font: "Roboto", fontSize: 9, color: INK, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 15, bold: true, margin: [0, 0, 0, 2] },
      recordLine: { fontSize: 10, color: MUTED, margin: [0, 0, 0, 10] },
      section: { fontSize: 10.5, bold: true, margin: [0, 12, 0, 4] },
      th: { bold: true, fontSize: 8, alignment: "center" },
      label: { bold: true, fontSize: 8.5 },
      small: { fontSize: 8, color: MUTED },
      clause: { fontSize: 9, alignment: "justify", margin: [0, 10, 0, 0] },
    },
    header: () => ({
      margin: [margin, 20, margin, 0],
      stack: [
        {
          columns: [
            { text: companyLine, bold: true, fontSize: 9.5, width: "*" },
            { text: `${title} ${options.recordLine}`, alignment: "right", fontSize: 8.5, color: MUTED, width: "auto" },
          ],
        },
        { text: projectLine, fontSize: 8.5, color: MUTED, margin: [0, 2, 0, 3] },
        {
          canvas: [
            {
              type: "line",
              x1: 0,
              y1: 0,
              x2: (options.landscape ? 841.89 : 595.28) - 2 * margin,
              y2: 0,
              lineWidth: 0.8,
              lineColor: RULE,
            },
          ],
        },
      ],
    }),
    footer: (currentPage: number, pageCount: number) => ({
      margin: [margin, 14, margin, 0],
      columns: [
        { text: footerText, fontSize: 7.5, color: MUTED, width: "*" },
        { text: l.page(currentPage, pageCount), fontSize: 8, alignment: "right", width: "auto" },
      ],
    }),
    content: [
      { text: title, style: "title" },
      { text: options.recordLine, style: "recordLine" },
      ...options.content,
    ],
  };
}

export function section(text: string): Content {
  return { text, style: "section", keepWithNext: true } as Content;
}

/** A grid of label/value pairs, `perRow` pairs to a row. */
export function fields(pairs: Array<[string, string]>, perRow = 2): Content {
  const body: TableCell[][] = [];
  for (let i = 0; i < pairs.length; i += perRow) {
    const row: TableCell[] = [];
    for (let j = 0; j < perRow; j++) {
      const pair = pairs[i + j];
      row.push(pair ? { text: pair[0], style: "label" } : "", pair ? pair[1] : "");
    }
    body.push(row);
  }
  const widths = Array.from({ length: perRow }, () => ["auto", "*"]).flat();
  // Rows may break here: a long contract object must flow onto the next page, not vanish.
  return { table: { widths, body }, layout: fieldsLayout };
}

/** The parties: the company and the contract's party, in the roles that the party's kind implies. */
export function partiesSection(ctx: ReportContext): Content[] {
  const { l, input } = ctx;
  const party = input.party;
  const partyRole = party.kind === "supplier" ? l.supplier : l.customer;
  const companyRole = party.kind === "supplier" ? l.contractor : l.contracted;
  const rows: Array<[string, string]> = [
    [companyRole, input.company.document ? `${input.company.name} – CNPJ ${formatCpfCnpj(input.company.document)}` : input.company.name],
    [partyRole, `${party.name} – ${l.document} ${formatCpfCnpj(party.document)}`],
  ];
  if (party.address) rows.push([l.address, party.address]);
  const contacts = (party.contacts ?? [])
    .map((c) => [c.name, c.role, c.email, c.cpf ? `${l.cpf} ${formatCpfCnpj(c.cpf)}` : undefined].filter(Boolean).join(" · "))
    .join("\n");
  if (contacts) rows.push([l.contacts, contacts]);
  return [section(l.parties), fields(rows, 1)];
}

/** Contract number, kind, object, term and value. */
export function contractSummary(ctx: ReportContext, extra: Array<[string, string]> = []): Content[] {
  const { l, input } = ctx;
  const c = input.contract;
  return [
    section(l.contract),
    fields(
      [
        [l.contractNumber, c.number],
        [l.contractKind, c.kind],
        [l.term, l.dateRange(ctx.date(c.startDate), ctx.date(c.endDate))],
        [l.contractTotal, ctx.money(c.totalCents)],
        ...extra,
      ],
      2,
    ),
    fields([[l.object, c.object]], 1),
  ];
}

export const right = (text: string, extra: Record<string, unknown> = {}): TableCell => ({ text, alignment: "right", noWrap: true, ...extra });
export const center = (text: string, extra: Record<string, unknown> = {}): TableCell => ({ text, alignment: "center", ...extra });
export const th = (text: string): TableCell => ({ text, style: "th" });

/**
 * A data table whose header repeats on each page and whose rows never split
 * across pages. Rows come in groups (one item = one group, see itemRows);
 * every other group is shaded, so continuation rows read as the same item.
 */
export function dataTable(widths: Array<string | number>, header: TableCell[], groups: TableCell[][][], fontSize = 8.5): ContentTable {
  const body: TableCell[][] = [header];
  groups.forEach((rows, g) => {
    for (const row of rows) {
      body.push(g % 2 === 1 ? row.map((cell) => shade(cell)) : row);
    }
  });
  return {
    fontSize,
    table: { headerRows: 1, keepWithHeaderRows: 1, dontBreakRows: true, widths, body },
    layout: gridLayout,
  } as ContentTable;
}

function shade(cell: TableCell): TableCell {
  if (typeof cell === "object" && cell !== null && !Array.isArray(cell)) {
    return "fillColor" in cell && cell.fillColor ? cell : ({ ...cell, fillColor: ZEBRA_FILL } as TableCell);
  }
  return { text: cell as string, fillColor: ZEBRA_FILL } as TableCell;
}

const MAX_CELL_CHARS = 480;
const MAX_CELL_LINES = 10;

/**
 * Splits a long text into chunks small enough for one table row to always fit
 * on a page. pdfmake silently drops a row taller than a page when rows may not
 * break, and a signed document must never lose a line.
 */
export function splitLongText(text: string, maxChars = MAX_CELL_CHARS, maxLines = MAX_CELL_LINES): string[] {
  const pieces: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let rest = line;
    while (rest.length > maxChars) {
      let cut = rest.lastIndexOf(" ", maxChars);
      if (cut < maxChars / 2) cut = maxChars;
      pieces.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    pieces.push(rest);
  }
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (current.length > 0 && (current.length >= maxLines || length + piece.length + 1 > maxChars)) {
      chunks.push(current.join("\n"));
      current = [];
      length = 0;
    }
    current.push(piece);
    length += piece.length + 1;
  }
  chunks.push(current.join("\n"));
  return chunks;
}

/** The rows of one item: its cells with the first chunk of its description, then continuation rows if the description is long. */
export function itemRows(cells: TableCell[], descriptionColumn: number, description: string): TableCell[][] {
  const [first, ...more] = splitLongText(description);
  const rows: TableCell[][] = [cells.map((cell, i) => (i === descriptionColumn ? first : cell))];
  for (const chunk of more) rows.push(cells.map((_, i) => (i === descriptionColumn ? chunk : "")));
  return rows;
}

/** A total row spanning all columns but the last. */
export function totalRow(columns: number, label: string, value: string): TableCell[] {
  const row: TableCell[] = [{ text: label, bold: true, alignment: "right", colSpan: columns - 1, fillColor: TOTAL_FILL }];
  for (let i = 1; i < columns - 1; i++) row.push("");
  row.push(right(value, { bold: true, fillColor: TOTAL_FILL }));
  return row;
}

/** Items with code, description, unit, quantity, unit price and total; the total row is checked against `expectedTotal`. */
export function itemsTable(
  ctx: ReportContext,
  items: ReportContractItem[],
  options: { quantityLabel?: string; totalLabel: string; expectedTotalCents?: Cents; field: string },
): Content {
  const { l } = ctx;
  let sum = 0n;
  const qty = ctx.qtyColumn(items.map((item) => item.quantity));
  const rows = items.map((item) => {
    const total = lineTotalCents(item.quantity, item.unitPriceCents);
    sum += total;
    return itemRows(
      [item.code, "", center(item.unit), right(qty(item.quantity)), right(ctx.money(item.unitPriceCents)), right(ctx.money(total))],
      1,
      item.description,
    );
  });
  if (options.expectedTotalCents !== undefined) assertTotal(sum, options.expectedTotalCents, options.field);
  return dataTable(
    ["auto", "*", 32, 62, 68, 76],
    [th(l.code), th(l.description), th(l.unit), th(options.quantityLabel ?? l.quantity), th(l.unitPrice), th(l.total)],
    [...rows, [totalRow(6, options.totalLabel, ctx.money(sum))]],
  );
}

/**
 * A signed document whose lines do not add up to its stated total must not be
 * produced: the caller's derived total and the report's exact sum must agree.
 */
export function assertTotal(computed: bigint, stated: Cents, field: string): void {
  if (computed !== toCents(stated, field)) {
    throw new AppError(
      "unprocessable",
      `${field} is ${stated} but the lines add up to ${computed} (quantity × unit price, rounded half-up per line)`,
      { [field]: `expected ${computed}` },
    );
  }
}

/** Right-aligned summary of labelled amounts. */
export function summaryTable(rows: Array<[string, string, boolean?]>): Content {
  return {
    columns: [
      { width: "*", text: "" },
      {
        width: "auto",
        table: {
          dontBreakRows: true,
          widths: ["auto", 110],
          body: rows.map(([label, value, strong]) => [
            { text: label, bold: strong ?? false, fillColor: strong ? TOTAL_FILL : HEADER_FILL },
            right(value, { bold: strong ?? false, fillColor: strong ? TOTAL_FILL : null }),
          ]),
        },
        layout: fieldsLayout,
      },
    ],
    margin: [0, 8, 0, 0],
    unbreakable: true,
  } as Content;
}

/** Place and date line, then one signature line per signer (name, CPF, role); observers listed apart. */
export function signatureBlock(ctx: ReportContext): Content[] {
  const { l, input } = ctx;
  const signing = input.signers.filter((s) => s.action !== "observe");
  const observers = input.signers.filter((s) => s.action === "observe");
  const placeDate = [input.place, ctx.date(ctx.issuedAt)].filter(Boolean).join(", ");
  const out: Content[] = [
    { text: l.signatures, style: "section", pageBreak: undefined, keepWithNext: true } as Content,
    { text: l.signaturesNote, style: "small", margin: [0, 0, 0, 4] },
    { text: placeDate, margin: [0, 0, 0, 4] },
  ];
  if (signing.length === 0) out.push({ text: l.noSigners, italics: true });
  const card = (s: (typeof signing)[number]): Content =>
    ({
    stack: [
      { canvas: [{ type: "line", x1: 0, y1: 0, x2: 220, y2: 0, lineWidth: 0.7, lineColor: INK }], margin: [0, 34, 0, 3] },
      { text: s.name, bold: true },
      { text: s.cpf ? `${l.cpf}: ${formatCpfCnpj(s.cpf)}` : " ", fontSize: 8.5 },
      { text: [l.actions[s.action], s.role].filter(Boolean).join(" – "), fontSize: 8.5 },
      { text: s.email, style: "small" },
    ],
    width: "*",
  }) as Content;
  for (let i = 0; i < signing.length; i += 2) {
    const pair = signing.slice(i, i + 2);
    out.push({
      columns: [card(pair[0]), pair[1] ? card(pair[1]) : { text: "", width: "*" }],
      columnGap: 30,
      unbreakable: true,
    } as Content);
  }
  if (observers.length > 0) {
    out.push({
      text: [{ text: `${l.observers}: `, bold: true }, observers.map((o) => `${o.name} (${o.email})`).join("; ")],
      style: "small",
      margin: [0, 12, 0, 0],
    });
  }
  // Keep the heading with at least the first signature line.
  return [{ stack: out.slice(0, 4), unbreakable: true } as Content, ...out.slice(4)];
}

/** Finds a contract item by id or fails with the line at fault. */
export function itemIndex(ctx: ReportContext): (id: string, field: string) => ReportContractItem {
  const byId = new Map(ctx.input.contract.items.map((item) => [item.id, item]));
  return (id, field) => {
    const item = byId.get(id);
    if (!item) throw new AppError("validation", `${field}: unknown contract item ${JSON.stringify(id)}`, { [field]: "unknown contract item" });
    return item;
  };
}
