import type { AppContext } from "../../platform/context.js";
import { activeUsersByIds, findActiveUser } from "../auth/queries.js";
import { partyContactsOf, partyIdOfContract, projectManagerId, type PartyContact } from "../records/reads.js";
import type { Process } from "../envelopes/processes.js";
import { recipientInput, type RecipientInput } from "../envelopes/schemas.js";
import { getProcessSettings } from "./queries.js";
import type { RecipientRule } from "./schemas.js";

interface Person {
  name: string;
  email: string;
  cpf?: string | null;
}

/**
 * Turns a process's recipient rules into recipients for one record: the
 * contract party's contacts with the rule's role (all of them; contacts
 * without an e-mail skipped), the project manager, project members by role,
 * fixed e-mails. The first rule that yields an e-mail wins it; each rule's
 * action and order carry over. Whoever fails `RecipientInput` (e.g. a
 * malformed e-mail in old data) is left out and logged. The rules apply
 * whether or not the process is enabled: `enabled` governs automatic
 * sending and gating, while a manual send still starts from these.
 */
export async function resolveDefaultRecipients(ctx: AppContext, process: Process, record: { row: any; projectId: string }): Promise<RecipientInput[]> {
  const settings = await getProcessSettings(ctx, record.projectId, process);
  if (settings.recipients.length === 0) return [];
  const people = await peopleLoader(ctx, process, record);

  const out: RecipientInput[] = [];
  const seen = new Set<string>();
  for (const rule of settings.recipients) {
    for (const person of await people(rule)) {
      const email = person.email.trim().toLowerCase();
      if (!email || seen.has(email)) continue;
      const parsed = recipientInput.safeParse({
        name: person.name,
        email,
        action: rule.action,
        order: rule.order ?? null,
        ...(person.cpf ? { cpf: person.cpf } : {}),
      });
      if (!parsed.success) {
        ctx.log.warn({ projectId: record.projectId, process, source: rule.source }, "default recipient left out: not a valid recipient");
        continue;
      }
      seen.add(email);
      out.push(parsed.data);
    }
  }
  return out;
}

/** Loads each source once per resolution. */
async function peopleLoader(ctx: AppContext, process: Process, record: { row: any; projectId: string }) {
  let contacts: PartyContact[] | null = null;
  let managerId: string | null | undefined;
  let members: { role: string; name: string; email: string }[] | null = null;

  const partyId = async (): Promise<string | null> => {
    if (process === "contract") return record.row.party_id ?? null;
    return partyIdOfContract(ctx.db, record.row.contract_id);
  };
  const sameRole = (a: string | null, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();

  return async (rule: RecipientRule): Promise<Person[]> => {
    switch (rule.source) {
      case "email":
        return [{ name: rule.name, email: rule.email, cpf: rule.cpf ?? null }];
      case "party_contact": {
        if (!contacts) {
          const id = await partyId();
          contacts = id ? await partyContactsOf(ctx.db, id) : [];
        }
        return contacts.filter((c) => sameRole(c.role, rule.role) && c.email);
      }
      case "project_user": {
        if (rule.role === "manager") {
          if (managerId === undefined) managerId = await projectManagerId(ctx.db, record.projectId);
          if (!managerId) return [];
          const user = await findActiveUser(ctx.db, managerId);
          return user ? [{ name: user.name, email: user.email }] : [];
        }
        if (!members) members = await activeMembers(ctx, record.projectId);
        return members.filter((m) => m.role === rule.role);
      }
    }
  };
}


/**
 * The project's members whose user is active, with the user's name and
 * e-mail, ordered by user name then id (one entry per member role).
 */
async function activeMembers(ctx: AppContext, projectId: string): Promise<{ role: string; name: string; email: string }[]> {
  const rows = await ctx.db.selectFrom("project_members").select(["user_id", "role"]).where("project_id", "=", projectId).execute();
  const users = await activeUsersByIds(ctx.db, [...new Set(rows.map((r) => r.user_id))]);
  return users.flatMap((u) => rows.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, name: u.name, email: u.email })));
}
