import { z } from "zod";
import type { RouteModule } from "../../platform/http/server.js";
import { idField } from "../../platform/validation/fields.js";
import { setProjectMembers } from "./commands/set-project-members.js";
import { updateProjectSignatureSettings } from "./commands/update-project-signature-settings.js";
import { getProjectSignatureSettings, listProjectMembers } from "./queries.js";
import {
  projectMembersResponse, projectSignatureSettingsResponse, putProjectMembersBody, updateProjectSignatureSettingsBody, type PutProjectMembersInput, type UpdateProjectSignatureSettingsInput,
} from "./schemas.js";

const params = z.strictObject({ id: idField });
const tags = ["projects"];

/**
 * `GET|PUT /api/projects/{id}/signature-settings` and `GET|PUT /api/projects/{id}/members`.
 * The PUT bodies are validated by the commands (field paths like
 * `processes.measurement.criteria.0.value`), after the permission check.
 */
export const projectSignatureSettingsRoutes: RouteModule = (app) => {
  app.get(
    "/api/projects/:id/signature-settings",
    { config: { permission: "records:read" }, schema: { tags, summary: "A project's signature parameters, per process", params, response: { 200: projectSignatureSettingsResponse } } },
    async (request) => getProjectSignatureSettings(app.ctx, request.params.id),
  );

  app.put(
    "/api/projects/:id/signature-settings",
    {
      config: { permission: "records:write" },
      schema: { tags, summary: "Change the signature parameters of some or all processes (omitted processes and fields keep their values)", params, body: updateProjectSignatureSettingsBody, response: { 200: projectSignatureSettingsResponse } },
    },
    async (request) => updateProjectSignatureSettings(app.ctx, request.actor!, request.params.id, request.body),
  );

  app.get(
    "/api/projects/:id/members",
    { config: { permission: "records:read" }, schema: { tags, summary: "The users holding a role in a project (contract manager, …)", params, response: { 200: projectMembersResponse } } },
    async (request) => ({ members: await listProjectMembers(app.ctx, request.params.id) }),
  );

  app.put(
    "/api/projects/:id/members",
    { config: { permission: "records:write" }, schema: { tags, summary: "Replace the members of a project", params, body: putProjectMembersBody, response: { 200: projectMembersResponse } } },
    async (request) => ({ members: await setProjectMembers(app.ctx, request.actor!, request.params.id, request.body) }),
  );
};
