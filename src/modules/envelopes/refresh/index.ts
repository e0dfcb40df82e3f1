export { refreshRoutes } from "./routes.js";
export { refreshJobName, startRefreshJob, refreshJobStatus, queueScheduledRefresh, pageRefreshKey, type RefreshOrigin, type RefreshJobStatus } from "./job.js";
export { refreshEnvelopes, refreshCandidates, type RefreshSelection, type RefreshProgress, type RefreshOptions } from "./refresh-envelopes.js";
