import { randomUUID } from "node:crypto";
import { apiErrorBody } from "./errors";

/**
 * Wraps a route handler so an unexpected failure is a 500 in the API's error shape, never an empty body or a stack:
 * the answer carries an error id, and the same id is logged with the error, so a report can be matched to the log.
 */
export function boundary<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      return internalError(error, request);
    }
  };
}

export function internalError(error: unknown, request?: Request): Response {
  const id = randomUUID();
  const where = request ? ` ${request.method} ${new URL(request.url).pathname}` : "";
  console.error(`[error ${id}]${where}:`, error);
  const body = apiErrorBody(500, `Something went wrong on the server. Quote error id ${id} when you report it.`);
  return Response.json({ error: { ...body.error, id } }, { status: 500 });
}
