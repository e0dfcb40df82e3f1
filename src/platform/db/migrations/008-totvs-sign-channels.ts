import type { Kysely } from "kysely";

/**
 * What TOTVS Sign's real answers and calls needed (docs/decisions/003):
 * - recipients: a phone (DDD + number) and the channel TOTVS Sign notifies
 *   them by (`email`, `whatsapp`, `sms`), and an international id for
 *   recipients without a CPF/CNPJ;
 * - envelopes: a machine-readable failure code beside the failure text (so
 *   pages speak the reader's language), and the last refresh that failed for
 *   good (an answer the adapter cannot read is shown, not asked again and again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("recipients").addColumn("phone", "text").execute();
  await db.schema.alterTable("recipients").addColumn("notify_channel", "text", (c) => c.notNull().defaultTo("email")).execute();
  await db.schema.alterTable("recipients").addColumn("international_id", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("failure_code", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("check_failure", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("check_failure_code", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
