import type { Answer } from './routes.js';
import { errorResponse } from './schemas.js';

/** A JSON error answer; the description names the codes it carries. */
export const failure = (description: string): Answer => ({ description, schema: errorResponse });

/** The popup's result page carrying a coded error. */
export const popupPage: Answer = {
  description: 'The result page (HTML) with the coded error.',
  html: true,
};

/** A hosted link page (HTML). */
export const linkPage = (description: string): Answer => ({ description, html: true });
