/**
 * Decodes a response body the way both the API calls and the proxy need it: JSON when the
 * content type says so (`application/json` or any `+json` type, such as PingOne's
 * `application/hal+json`), text otherwise, `null` when there is no body.
 */
export function parseBody(headers: Headers, text: string): unknown {
  if (text === '') return null;
  if (!isJsonMediaType(headers.get('content-type'))) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A body that claims JSON but is not is handed back as it came rather than lost.
    return text;
  }
}

function isJsonMediaType(contentType: string | null): boolean {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}
