import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { searchFold } from "../../platform/db/search-text.js";
import { findRecordRow } from "../records/reads.js";
import type { Process } from "./processes.js";
import { recordKindOf } from "./processes.js";

type Reader = Db | Tx;

export interface SearchTerms {
  contractNumber: string | null;
  partyName: string | null;
  partyDocument: string | null;
}

/** The contract a record belongs to (itself for a contract) and its party: what the monitor shows and searches. */
export async function searchTermsOf(db: Reader, process: Process, recordId: string): Promise<SearchTerms> {
  const row = await findRecordRow(db, recordKindOf[process], recordId);
  const contract = process === "contract" ? row : row?.contract_id ? await findRecordRow(db, "contracts", row.contract_id) : undefined;
  const party = contract?.party_id ? await findRecordRow(db, "parties", contract.party_id) : undefined;
  return { contractNumber: contract?.number ?? null, partyName: party?.name ?? null, partyDocument: party?.document ?? null };
}

/** The folded text the monitor's `q` searches: name, contract number, party (name and CNPJ), recipients (names and e-mails). */
export const envelopeSearchText = (name: string, terms: SearchTerms, recipients: { name: string; email: string }[]) =>
  searchFold([name, terms.contractNumber, terms.partyName, terms.partyDocument, ...recipients.flatMap((r) => [r.name, r.email])]);

/** After recipients change, the envelope's search text follows. */
export async function refreshSearchText(tx: Tx, envelopeId: string) {
  const envelope = await tx.selectFrom("envelopes").select(["name", "process", "record_id", "contract_number", "party_name"]).where("id", "=", envelopeId).executeTakeFirstOrThrow();
  const recipients = await tx.selectFrom("recipients").select(["name", "email"]).where("envelope_id", "=", envelopeId).where("removed_at", "is", null).orderBy("position").execute();
  const terms = await searchTermsOf(tx, envelope.process, envelope.record_id);
  const kept = { contractNumber: envelope.contract_number ?? terms.contractNumber, partyName: envelope.party_name ?? terms.partyName, partyDocument: terms.partyDocument };
  await tx.updateTable("envelopes").set({ search_text: envelopeSearchText(envelope.name, kept, recipients) }).where("id", "=", envelopeId).execute();
}
