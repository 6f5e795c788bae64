/** The operator dashboard; a placeholder page until the Next.js dashboard lands (issue #5). */
export { placeholderPage } from './placeholder-page';
