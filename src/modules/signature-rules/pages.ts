import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { zodFields } from "../../platform/http/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf, type Locale } from "../../platform/i18n/index.js";
import { idField } from "../../platform/validation/fields.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { findProjectHeader, partyContactRolesInProject } from "../records/reads.js";
import { recipientActions } from "../../platform/providers/port.js";
import { reportTemplates } from "../reports/templates.js";
import { processes, type Process } from "../envelopes/processes.js";
import { isDocumentLanguage } from "../envelopes/document-language.js";
import { updateProjectSignatureSettings } from "./commands/update-project-signature-settings.js";
import { criterionFields, criterionOps } from "./criteria.js";
import { blankCriterion, blankRule, formFromBody, formOf, inputOfForm, type ProcessForm, type SettingsForm } from "./form.js";
import { projectSettingsMessages, triggerLabel } from "./messages.js";
import { getProjectSignatureSettings } from "./queries.js";
import { projectUserRoles, triggersOf, updateProjectSignatureSettingsBody } from "./schemas.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";

const view = "/modules/signature-rules/views/settings.eta";

async function projectOf(request: FastifyRequest, rawId: string) {
  const id = idField.safeParse(rawId);
  if (!id.success) throw new AppError("not_found", "Project not found");
  const project = await findProjectHeader(request.server.ctx.db, id.data);
  if (!project) throw new AppError("not_found", "Project not found");
  return project;
}

/** Roles found on the contacts of the project's contracts' parties: suggestions for party_contact rules. */
async function partyRolesOf(request: FastifyRequest, projectId: string): Promise<string[]> {
  const roles = await partyContactRolesInProject(request.server.ctx.db, projectId, 50);
  return roles.filter((r) => !(projectUserRoles as readonly string[]).includes(r));
}

/** Every list gets one blank row to fill in without JavaScript. */
const withBlankRow = (f: ProcessForm): ProcessForm => ({ ...f, criteria: [...f.criteria, blankCriterion()], recipients: [...f.recipients, blankRule()] });
function withBlankRows(form: SettingsForm): SettingsForm {
  return Object.fromEntries(processes.map((p) => [p, withBlankRow(form[p])])) as SettingsForm;
}

async function render(request: FastifyRequest, reply: FastifyReply, project: { id: string; code: string; name: string }, form: SettingsForm, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const m = projectSettingsMessages(locale);
  const triggers = Object.fromEntries(processes.map((p) => [p, triggersOf(p)])) as Record<Process, string[]>;
  const triggerLabels = Object.fromEntries(Object.values(triggers).flat().map((t) => [t, triggerLabel(m, locale, t)]));
  return renderPage(request, reply, view, {
    m, project, form, processes, triggers, triggerLabels,
    reports: reportTemplates, criterionFields, criterionOps, actions: recipientActions, projectUserRoles,
    partyRoles: await partyRolesOf(request, project.id),
    action: `/projects/${project.id}/signature-settings`,
    canWrite: can(request.actor!, "records:write"),
    ...extra,
  });
}

/** API field paths (`processes.measurement.criteria.0.value`) → form names (`measurement.criteria.0.value`). */
const formErrors = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^processes\./, ""), v]));

/** The posted sections over the stored ones (a section not posted shows as stored). */
function merged(stored: SettingsForm, posted: Partial<SettingsForm>): SettingsForm {
  return { ...stored, ...posted } as SettingsForm;
}

/**
 * "Assinatura Eletrônica" under a project: a plain HTML form that posts
 * every process; errors come back next to their fields. "Add a row" is a
 * submit button that re-renders without saving; htmx swaps only its table.
 */
export const projectSignatureSettingsPages: RouteModule = (app) => {
  app.get("/projects/:id/signature-settings", { schema: { hide: true, params: pathParams("id"), querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const project = await projectOf(request, request.params.id);
    const locale: Locale = localeOf(request);
    const settings = await getProjectSignatureSettings(app.ctx, project.id);
    return render(request, reply, project, withBlankRows(formOf(settings, locale)), { saved: request.query.saved === "1", documentLanguage: settings.documentLanguage });
  });

  app.post("/projects/:id/signature-settings", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const project = await projectOf(request, request.params.id);
    const locale = localeOf(request);
    const m = projectSettingsMessages(locale);
    if (!can(request.actor!, "records:write")) {
      reply.status(403);
      const settings = await getProjectSignatureSettings(app.ctx, project.id);
      return render(request, reply, project, withBlankRows(formOf(settings, locale)), { formError: m.forbidden, documentLanguage: settings.documentLanguage });
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const current = await getProjectSignatureSettings(app.ctx, project.id);
    const stored = formOf(current, locale);
    const postedLanguage = body.documentLanguage;
    const documentLanguage = isDocumentLanguage(postedLanguage) ? postedLanguage : current.documentLanguage;

    const add = typeof body.add === "string" ? /^([a-z]+)\.(criteria|recipients)$/.exec(body.add) : null;
    if (add && (processes as readonly string[]).includes(add[1]!)) {
      const form = merged(stored, formFromBody(body, true));
      const [p, list] = [add[1] as Process, add[2] as "criteria" | "recipients"];
      for (const q of processes) {
        // Sections not posted get their blank rows here; posted ones kept theirs.
        if (body[`${q}.present`] === undefined) form[q] = withBlankRow(form[q]);
      }
      form[p] = { ...form[p], [list]: [...form[p][list], list === "criteria" ? blankCriterion() : blankRule()] };
      return render(request, reply, project, form, { documentLanguage });
    }

    const posted = formFromBody(body, false);
    const { input, errors } = inputOfForm(posted, locale, m);
    if (isDocumentLanguage(postedLanguage)) input.documentLanguage = postedLanguage;
    else if (postedLanguage !== undefined) errors.documentLanguage = m.documentLanguageInvalid;
    let fields: Record<string, string> | null = null;
    let status = 400;
    if (Object.keys(errors).length > 0) {
      const parsed = updateProjectSignatureSettingsBody.safeParse(input);
      fields = { ...(parsed.success ? {} : formErrors(zodFields(parsed.error, localeOf(request)))), ...errors };
    } else {
      try {
        await updateProjectSignatureSettings(app.ctx, request.actor!, project.id, input);
      } catch (error) {
        if (error instanceof ZodError) fields = formErrors(zodFields(error, localeOf(request)));
        else if (error instanceof AppError && error.fields) [fields, status] = [formErrors(error.fieldsIn(localeOf(request))!), error.status];
        else throw error;
      }
    }
    if (fields) {
      reply.status(status);
      return render(request, reply, project, withBlankRows(merged(stored, posted)), { errors: fields, formError: m.fixErrors, documentLanguage });
    }
    return reply.redirect(`/projects/${project.id}/signature-settings?saved=1`, 303);
  });
};
