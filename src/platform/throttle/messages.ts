import { catalogue } from "../i18n/text.js";

/** What a throttled person reads, in pt-BR and English. `{wait}` comes from `waitText`. */
export const throttleMessages = catalogue(
  {
    loginLocked: "Muitas tentativas de entrar sem sucesso. Por segurança, o acesso está bloqueado: tente de novo em {wait}. Um administrador pode desbloquear em Configurações › Usuários.",
    tooManyRequests: "Muitos pedidos em pouco tempo. Tente de novo em {wait}.",
    tooManyVerifications: "Muitas verificações a partir deste endereço em pouco tempo. Tente de novo em {wait}.",
    tooManyResends: "O convite já foi reenviado {limit} vezes há pouco. Tente de novo em {wait}.",
  },
  {
    loginLocked: "Too many failed sign-in attempts. For safety, signing in is locked: try again in {wait}. An administrator can unlock it under Settings › Users.",
    tooManyRequests: "Too many requests in a short time. Try again in {wait}.",
    tooManyVerifications: "Too many verifications from this address in a short time. Try again in {wait}.",
    tooManyResends: "The invitation was already sent again {limit} times a moment ago. Try again in {wait}.",
  },
);

/** "45 s" or "5 min" (rounded up): the same in both languages. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
