import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/** What a browser holds after a page: its cookies and the CSRF token the page's forms carry. */
export interface PageSession {
  cookies: Record<string, string>;
  token: string;
  /** Headers for a page POST: the token as htmx sends it. */
  headers: Record<string, string>;
}

export function csrfTokenIn(html: string): string {
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
  if (!token) throw new Error("the page has no CSRF token");
  return token.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
}

/** Opens a page as a browser would and keeps the CSRF cookie and token it hands out. */
export async function openPage(app: FastifyInstance, url: string, cookies: Record<string, string> = {}): Promise<PageSession & { page: LightMyRequestResponse }> {
  const page = await app.inject({ method: "GET", url, cookies });
  const secret = page.cookies.find((c) => c.name === "_csrf")?.value ?? cookies._csrf;
  const all = { ...cookies, ...(secret ? { _csrf: secret } : {}) };
  const token = csrfTokenIn(page.body);
  return { page, cookies: all, token, headers: { "x-csrf-token": token } };
}

/** Signs in through the login form (token included), then returns the session's cookies and a token for its forms. */
export async function signInByForm(
  app: FastifyInstance, email: string, password: string, options: { headers?: Record<string, string>; next?: string } = {},
): Promise<PageSession & { login: LightMyRequestResponse }> {
  const anonymous = await openPage(app, "/login");
  const login = await app.inject({
    method: "POST", url: "/login", cookies: anonymous.cookies, headers: options.headers ?? {},
    payload: { email, password, _csrf: anonymous.token, ...(options.next !== undefined ? { next: options.next } : {}) },
  });
  const session = login.cookies.find((c) => c.name === "obrasign_session")?.value;
  if (!session) return { ...anonymous, login };
  const signedIn = await openPage(app, "/login", { ...anonymous.cookies, obrasign_session: session });
  return { login, cookies: signedIn.cookies, token: signedIn.token, headers: signedIn.headers };
}
