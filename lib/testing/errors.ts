/** The messages of a rejected promise's error and its causes (drizzle wraps the database error). */
export async function rejectionMessages(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" <- ");
  }
  throw new Error("expected the promise to reject, but it resolved");
}
