/**
 * Connection strings carry passwords (`mongodb://user:secret@host`) and sometimes secrets in the
 * query string; none of it may reach a log line.
 */

const SECRET_PARAMS = /([?&](?:password|tlsCertificateKeyFilePassword|authMechanismProperties|sslPass)=)[^&]*/gi;

/** The URI with its user-info and secret query parameters replaced by `***`. */
export function redactUri(uri: string): string {
  const withoutUserInfo = uri.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1***@');
  return withoutUserInfo.replace(SECRET_PARAMS, '$1***');
}

/** Removes the URI's credentials from a free text (driver error messages may echo them). */
export function redactText(text: string, uri: string): string {
  let out = text.split(uri).join(redactUri(uri));
  const userInfo = /^[a-z+]+:\/\/([^@/]*)@/i.exec(uri)?.[1];
  if (userInfo) {
    for (const part of userInfo.split(':')) {
      if (part.length === 0) continue;
      out = out.split(part).join('***');
      const decoded = safeDecode(part);
      if (decoded !== part && decoded.length > 0) out = out.split(decoded).join('***');
    }
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
