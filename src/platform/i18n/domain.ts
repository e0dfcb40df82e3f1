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
  /** A record kind with its article, as a sentence names it ("o contrato", "a medição"). */
  recordKindsInSentence: { projects: "o projeto", parties: "a parte", contracts: "o contrato", amendments: "o aditivo", periods: "o período", measurements: "a medição", advances: "o adiantamento" } as Record<string, string>,
  recordStatuses: {
    active: "Ativo", closed: "Encerrado", draft: "Rascunho", approved: "Aprovado", cancelled: "Cancelado",
    applied: "Aplicado", open: "Aberto", released: "Liberado", requested: "Solicitado", paid: "Pago",
  } as Record<string, string>,
};

const en: typeof ptBR = {
  envelopeStatuses: {
    draft: "Draft", queued: "Queued", pending: "Pending", partially_signed: "Partially signed", completed: "Completed",
    rejected: "Rejected", cancelled: "Cancelled", expired: "Expired", failed: "Failed",
  },
  processes: { contract: "Contract", amendment: "Amendment", period: "Contract period", measurement: "Measurement", advance: "Advance payment" },
  recipientActions: { sign: "Sign", validate: "Validate", witness: "Witness", observe: "Observe", sign_certificate: "Sign with a digital certificate" },
  recipientStatuses: { pending: "Pending", signed: "Signed", validated: "Validated", witnessed: "Witnessed", rejected: "Rejected" },
  recordKindsInSentence: { projects: "this project", parties: "this party", contracts: "this contract", amendments: "this amendment", periods: "this period", measurements: "this measurement", advances: "this advance" },
  recordStatuses: {
    active: "active", closed: "closed", draft: "draft", approved: "approved", cancelled: "cancelled",
    applied: "applied", open: "open", released: "released", requested: "requested", paid: "paid",
  },
};

export const domainLabels = { "pt-BR": ptBR, en } as const;
