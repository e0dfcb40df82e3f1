export { getProjectSignatureSettings, getProcessSettings, recordFacts, listProjectMembers } from "./queries.js";
export type { ProjectMember } from "./queries.js";
export { updateProjectSignatureSettings } from "./commands/update-project-signature-settings.js";
export { setProjectMembers } from "./commands/set-project-members.js";
export { matchesCriteria, criterionFields, criterionOps } from "./criteria.js";
export type { Criterion, RecordFacts } from "./criteria.js";
export { resolveDefaultRecipients } from "./default-recipients.js";
export { projectSignatureSettingsRoutes } from "./routes.js";
export { projectSignatureSettingsPages } from "./pages.js";
export {
  defaultProcessSettings, triggersOf, parseTrigger, triggerKinds, projectUserRoles, projectMemberRoles, hasSignerRule,
} from "./schemas.js";
export type { ProcessSettings, ProjectSignatureSettings, RecipientRule } from "./schemas.js";
