import type { ptBR } from "./pt-BR.js";

export const en: typeof ptBR = {
  appName: "obrasign",
  tagline: "Electronic signature for construction contracts",
  signIn: "Sign in",
  signOut: "Sign out",
  email: "E-mail",
  password: "Password",
  wrongCredentials: "Wrong e-mail or password.",
  projects: "Projects",
  language: "Language",
  home: "Home",
  noProjects: "No projects yet.",
  code: "Code",
  name: "Name",
  status: "Status",
  apiDocs: "API documentation",
  signedInAs: "Signed in as {name}",
  statuses: { active: "Active", closed: "Closed" },
};
