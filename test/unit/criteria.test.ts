import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { criterionProblem, matchesCriteria, type Criterion, type RecordFacts } from "../../src/modules/signature-rules/criteria.js";
import { updateProjectSignatureSettingsBody } from "../../src/modules/signature-rules/schemas.js";

const party = "01900000-0000-7000-8000-000000000001";
const other = "01900000-0000-7000-8000-000000000002";
const project = "01900000-0000-7000-8000-0000000000aa";
const facts: RecordFacts = { totalCents: 10_000_000, "contract.totalCents": 25_000_000, "contract.kind": "empreitada", partyId: party, projectId: project };
const one = (c: Criterion, f: Partial<RecordFacts> = facts) => matchesCriteria([c], f);

describe("matchesCriteria", () => {
  test("eq and ne on numbers, text and ids", () => {
    assert.equal(one({ field: "totalCents", op: "eq", value: 10_000_000 }), true);
    assert.equal(one({ field: "totalCents", op: "eq", value: 10_000_001 }), false);
    assert.equal(one({ field: "totalCents", op: "ne", value: 1 }), true);
    assert.equal(one({ field: "totalCents", op: "ne", value: 10_000_000 }), false);
    assert.equal(one({ field: "contract.kind", op: "eq", value: "empreitada" }), true);
    assert.equal(one({ field: "contract.kind", op: "ne", value: "empreitada" }), false);
    assert.equal(one({ field: "partyId", op: "eq", value: party }), true);
    assert.equal(one({ field: "projectId", op: "ne", value: project }), false);
  });

  test("lt, lte, gt, gte at and around the boundary", () => {
    const at = 10_000_000;
    const cases: [Criterion["op"], number, boolean][] = [
      ["lt", at, false], ["lt", at + 1, true], ["lte", at, true], ["lte", at - 1, false],
      ["gt", at, false], ["gt", at - 1, true], ["gte", at, true], ["gte", at + 1, false],
    ];
    for (const [op, value, expected] of cases) assert.equal(one({ field: "totalCents", op, value }), expected, `${op} ${value}`);
    assert.equal(one({ field: "contract.totalCents", op: "gte", value: 10_000_000 }), true, "contract ≥ R$ 100.000,00");
  });

  test("in and not_in", () => {
    assert.equal(one({ field: "contract.kind", op: "in", value: ["fornecimento", "empreitada"] }), true);
    assert.equal(one({ field: "contract.kind", op: "in", value: ["fornecimento"] }), false);
    assert.equal(one({ field: "contract.kind", op: "not_in", value: ["fornecimento"] }), true);
    assert.equal(one({ field: "partyId", op: "not_in", value: [party, other] }), false);
    assert.equal(one({ field: "totalCents", op: "in", value: [1, 10_000_000] }), true);
  });

  test("all criteria must hold; none always matches", () => {
    assert.equal(matchesCriteria([], facts), true);
    const big: Criterion = { field: "contract.totalCents", op: "gt", value: 10_000_000 };
    assert.equal(matchesCriteria([big, { field: "contract.kind", op: "eq", value: "empreitada" }], facts), true);
    assert.equal(matchesCriteria([big, { field: "contract.kind", op: "eq", value: "fornecimento" }], facts), false);
  });

  test("a missing fact or a value of another type never matches, not even ne / not_in", () => {
    const period: Partial<RecordFacts> = { ...facts, totalCents: undefined };
    assert.equal(one({ field: "totalCents", op: "ne", value: 1 }, period), false);
    assert.equal(one({ field: "totalCents", op: "not_in", value: [1] }, period), false);
    assert.equal(one({ field: "totalCents", op: "eq", value: "10000000" as never }), false);
    assert.equal(one({ field: "totalCents", op: "ne", value: "1" as never }), false);
    assert.equal(one({ field: "contract.kind", op: "in", value: "empreitada" as never }), false);
    assert.equal(one({ field: "totalCents", op: "in", value: [] }), false);
    assert.equal(one({ field: "contract.kind", op: "gt", value: "a" as never }), false);
    assert.equal(one({ field: "totalCents", op: "nope" as never, value: 1 }), false);
  });

  test("nothing is evaluated as code", () => {
    const hostile = { field: "contract.kind", op: "eq", value: "empreitada'); process.exit(1); ('" } as Criterion;
    assert.equal(one(hostile), false);
  });
});

describe("criterion validation (at save time)", () => {
  test("values are checked against the field and the operator", () => {
    assert.equal(criterionProblem("totalCents", "gte", 100), null);
    assert.equal(criterionProblem("totalCents", "gte", 1.5)?.at, "value");
    assert.equal(criterionProblem("totalCents", "gte", "100")?.at, "value");
    assert.equal(criterionProblem("totalCents", "in", 100)?.message, "must be a list for in");
    assert.equal(criterionProblem("totalCents", "in", [])?.at, "value");
    assert.equal(criterionProblem("totalCents", "not_in", [1, "2"])?.at, "value");
    assert.equal(criterionProblem("totalCents", "eq", [1])?.at, "value");
    assert.equal(criterionProblem("contract.kind", "lt", "a")?.at, "op");
    assert.equal(criterionProblem("contract.kind", "eq", 3)?.at, "value");
    assert.equal(criterionProblem("contract.kind", "eq", "  ")?.at, "value");
    assert.equal(criterionProblem("partyId", "eq", "not-an-id")?.at, "value");
    assert.equal(criterionProblem("partyId", "in", [party, other]), null);
    assert.equal(criterionProblem("projectId", "gte", project)?.at, "op");
    assert.equal(criterionProblem("totalCents", "eq", undefined)?.message, "is required");
  });

  test("the settings schema names the path of a bad value", () => {
    const result = updateProjectSignatureSettingsBody.safeParse({
      processes: { measurement: { criteria: [{ field: "contract.totalCents", op: "gte", value: 10_000_000 }, { field: "totalCents", op: "in", value: 5 }] } },
    });
    assert.equal(result.success, false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    assert.deepEqual(paths, ["processes.measurement.criteria.1.value"]);
    const period = updateProjectSignatureSettingsBody.safeParse({ processes: { period: { criteria: [{ field: "totalCents", op: "gt", value: 1 }] } } });
    assert.deepEqual(period.error!.issues.map((i) => i.path.join(".")), ["processes.period.criteria.0.field"]);
  });
});
