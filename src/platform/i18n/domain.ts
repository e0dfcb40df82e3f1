/**
 * The domain's words, once per language: envelope and recipient statuses,
 * processes and recipient actions, as every page and mail names them.
 */
const ptBR = {
  envelopeStatuses: {
    draft: "Rascunho", queued: "Na fila", pending: "Pendente", partially_signed: "Assinado parcialmente", completed: "Finalizado",
    rejected: "Rejeitado", cancelled: "Cancelado", expired: "Expirado", failed: "Falhou",
  } as Record<string, string>,
  processes: { contract: "Contrato", amendment: "Aditivo", period: "Período de contrato", measurement: "Medição", advance: "Adiantamento de contrato" } as Record<string, string>,
  recipientActions: { sign: "Assinar", validate: "Validar", witness: "Testemunhar", observe: "Observar", sign_certificate: "Assinar com certificado digital" } as Record<string, string>,
  recipientStatuses: { pending: "Pendente", signed: "Assinou", validated: "Validou", witnessed: "Testemunhou", rejected: "Rejeitou" } as Record<string, string>,
};

const en: typeof ptBR = {
  envelopeStatuses: {
    draft: "Draft", queued: "Queued", pending: "Pending", partially_signed: "Partially signed", completed: "Completed",
    rejected: "Rejected", cancelled: "Cancelled", expired: "Expired", failed: "Failed",
  },
  processes: { contract: "Contract", amendment: "Amendment", period: "Contract period", measurement: "Measurement", advance: "Advance payment" },
  recipientActions: { sign: "Sign", validate: "Validate", witness: "Witness", observe: "Observe", sign_certificate: "Sign with a digital certificate" },
  recipientStatuses: { pending: "Pending", signed: "Signed", validated: "Validated", witnessed: "Witnessed", rejected: "Rejected" },
};

export const domainLabels = { "pt-BR": ptBR, en } as const;
