import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The request body as a web stream with backpressure; after a cancel the rest is drained and dropped. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on("data", (chunk: Buffer) => {
        if (closed) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!closed) controller.close();
        closed = true;
      });
      req.on("error", (error) => {
        if (!closed) controller.error(error);
        closed = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      closed = true;
      req.resume();
    },
  });
}

/**
 * Serves a route handler (Request → Response, as Next calls it) over real HTTP on loopback,
 * streaming the request body in and the response out, so tests exercise the wire: headers,
 * chunked bodies, compression, early answers.
 */
export async function serveRoute(handler: (request: Request) => Promise<Response>) {
  const server: Server = createServer((req, res) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? bodyStream(req) : undefined,
      // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM types do not know it
      duplex: "half",
    });
    handler(request).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
        // An early answer (413) may leave the rest of the upload unread: drop it.
        req.resume();
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
