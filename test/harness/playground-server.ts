/**
 * The local playground's HTTP server: serves the Custom UIs built with the bridge shim, a small
 * Jira-like shell around them, and the endpoints the shim calls:
 *   POST /__invoke  {functionKey, payload, context} → the real resolver handler (src/index.ts)
 *   POST /__egress  {egresses:[…]}                 → an admin approving a host (customer-managed egress)
 * Used by `npm start` and by the browser tests.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './contracts';
import type { LocalPlatform } from './local-platform';
import { invokeResolver } from './local-forge';

export const localUiDir = path.join(repoRoot, '.playground', 'ui');

const invokeBodySchema = z.object({
  functionKey: z.string().min(1),
  payload: z.unknown().optional(),
  context: z.object({
    accountId: z.string().optional(),
    cloudId: z.string().optional(),
    moduleKey: z.string().optional(),
    projectId: z.string().optional(),
    projectKey: z.string().optional(),
    issueId: z.string().optional(),
    issueKey: z.string().optional(),
    siteUrl: z.string().optional(),
  }),
});

const egressBodySchema = z.object({
  egresses: z.array(z.object({ configured: z.array(z.object({ domain: z.string().min(1) })) })),
});

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface PlaygroundOptions {
  /** The current world's platform (a reset swaps the world). */
  platform: () => LocalPlatform;
  cloudId: string;
  port?: number;
  /** Extra routes (the shell pages, trigger endpoints) served before the static files. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Whether the egress approval should be accepted (the acting user is a site admin). */
  canApproveEgress?: (accountId: string | undefined) => boolean;
}

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export { readBody };

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function serveStatic(res: ServerResponse, pathname: string): boolean {
  // /ui/<app>/<file>
  const match = /^\/ui\/([a-z-]+)\/(.*)$/.exec(pathname);
  if (!match) return false;
  const [, app = '', rest = ''] = match;
  const root = path.join(localUiDir, app);
  const file = path.normalize(path.join(root, rest === '' ? 'index.html' : decodeURIComponent(rest)));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
  return true;
}

export async function startPlayground(
  options: PlaygroundOptions,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (req.method === 'POST' && url.pathname === '/__invoke') {
        const body = invokeBodySchema.parse(JSON.parse(await readBody(req)));
        const { context } = body;
        const result = await invokeResolver(options.platform(), body.functionKey, body.payload ?? {}, {
          ...(context.accountId ? { accountId: context.accountId } : {}),
          cloudId: context.cloudId ?? options.cloudId,
          moduleKey: context.moduleKey ?? 'sqai-settings',
          ...(context.siteUrl ? { siteUrl: context.siteUrl } : {}),
          ...(context.projectId && context.projectKey
            ? { project: { id: context.projectId, key: context.projectKey } }
            : {}),
          ...(context.issueId && context.issueKey
            ? { issue: { id: context.issueId, key: context.issueKey } }
            : {}),
        });
        sendJson(res, 200, result ?? null);
        return;
      }
      if (req.method === 'POST' && url.pathname === '/__egress') {
        const accountId = url.searchParams.get('accountId') ?? undefined;
        if (options.canApproveEgress && !options.canApproveEgress(accountId)) {
          sendJson(res, 403, { message: 'Only a Jira admin can approve egress.' });
          return;
        }
        const body = egressBodySchema.parse(JSON.parse(await readBody(req)));
        for (const egress of body.egresses) {
          for (const entry of egress.configured) options.platform().egress.approve(entry.domain);
        }
        sendJson(res, 200, { results: body.egresses });
        return;
      }
      if (options.routes && (await options.routes(req, res, url))) return;
      if (req.method === 'GET' && serveStatic(res, url.pathname)) return;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    };
    handle().catch((error: unknown) => {
      options.platform().log.error('Playground request failed', { path: url.pathname, error });
      if (!res.headersSent)
        sendJson(res, 400, { message: error instanceof Error ? error.message : 'bad request' });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
