import type { Kysely } from "kysely";

// Column helpers keep the two dialects on one definition.
type Table = ReturnType<Kysely<unknown>["schema"]["createTable"]>;
const recordColumns = (t: Table) =>
  t
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("external_id", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1));

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();

  await recordColumns(db.schema.createTable("projects"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("manager_user_id", "text", (c) => c.references("users.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .execute();

  await recordColumns(db.schema.createTable("parties"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("document", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("party_contacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("cpf", "text")
    .addColumn("role", "text")
    .execute();
  await db.schema.createIndex("party_contacts_party").on("party_contacts").column("party_id").execute();

  await recordColumns(db.schema.createTable("contracts"))
    .addColumn("project_id", "text", (c) => c.notNull().references("projects.id"))
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("object", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("total_cents", "bigint", (c) => c.notNull())
    .addColumn("locked_at", "text")
    .addUniqueConstraint("contracts_project_number", ["project_id", "number"])
    .execute();

  await db.schema
    .createTable("contract_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("quantity_e4", "bigint", (c) => c.notNull())
    .addColumn("unit_price_cents", "bigint", (c) => c.notNull())
    .addColumn("total_cents", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("contract_items_contract").on("contract_items").column("contract_id").execute();

  await recordColumns(db.schema.createTable("amendments"))
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("value_delta_cents", "bigint", (c) => c.notNull())
    .addColumn("new_end_date", "text")
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addUniqueConstraint("amendments_contract_number", ["contract_id", "number"])
    .execute();

  await db.schema
    .createTable("amendment_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("amendment_id", "text", (c) => c.notNull().references("amendments.id").onDelete("cascade"))
    .addColumn("contract_item_id", "text", (c) => c.notNull().references("contract_items.id"))
    .addColumn("quantity_delta_e4", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("amendment_items_amendment").on("amendment_items").column("amendment_id").execute();

  await recordColumns(db.schema.createTable("periods"))
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addUniqueConstraint("periods_contract_number", ["contract_id", "number"])
    .execute();

  await recordColumns(db.schema.createTable("measurements"))
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("period_id", "text", (c) => c.notNull().references("periods.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("total_cents", "bigint", (c) => c.notNull())
    .addUniqueConstraint("measurements_contract_number", ["contract_id", "number"])
    .execute();

  await db.schema
    .createTable("measurement_lines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("measurement_id", "text", (c) => c.notNull().references("measurements.id").onDelete("cascade"))
    .addColumn("contract_item_id", "text", (c) => c.notNull().references("contract_items.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("quantity_e4", "bigint", (c) => c.notNull())
    .addColumn("total_cents", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("measurement_lines_measurement").on("measurement_lines").column("measurement_id").execute();
  await db.schema.createIndex("measurement_lines_item").on("measurement_lines").column("contract_item_id").execute();

  await recordColumns(db.schema.createTable("advances"))
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("amount_cents", "bigint", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addUniqueConstraint("advances_contract_number", ["contract_id", "number"])
    .execute();

  for (const table of ["contracts", "amendments", "periods", "measurements", "advances"]) {
    const parent = table === "contracts" ? "project_id" : "contract_id";
    await db.schema.createIndex(`${table}_${parent}`).on(table).columns([parent, "id"]).execute();
  }

  await db.schema
    .createTable("record_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("record_kind", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("record_events_record").on("record_events").columns(["record_id", "id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
