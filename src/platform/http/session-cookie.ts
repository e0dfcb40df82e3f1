/** The cookie that carries a signed-in browser's session secret. */
export const sessionCookie = "obrasign_session";
