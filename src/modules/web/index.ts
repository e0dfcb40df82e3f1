/** The pages a contract manager works in: projects, record pages, and the send wizard. */
export { webPages } from "./pages.js";
export { sendWizardPages } from "./send-wizard.js";
