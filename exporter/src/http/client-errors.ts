import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from '../api/errors';

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers or a request line over
 * --max-http-header-size, malformed syntax, a request that took too long to arrive) are answered in the
 * same JSON shape as every other error, instead of Node's bare status line or a reset connection.
 */
const PARSER_ANSWERS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'headers_too_large',
    'the request line and headers are too large (a query string of a few kilobytes at most)',
  ],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'uri_too_long', 'the URL is too long'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'the request did not arrive in time'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'the request headers did not arrive in time'],
};

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = PARSER_ANSWERS[err.code ?? ''] ?? [
      400,
      'Bad Request',
      'malformed_request',
      'the request is not valid HTTP/1.1',
    ];
    const body = JSON.stringify(errorBody(code, message, null));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
