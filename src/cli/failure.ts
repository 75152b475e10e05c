import { TaxiiHttpError, TaxiiNetworkError, TaxiiProtocolError } from '../taxii/client/index.js';

/** Chains of causes' messages and codes, where TLS failures say what they are. */
function causeText(err: unknown): string {
  let text = '';
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    text += ` ${e.message} ${(e as NodeJS.ErrnoException).code ?? ''}`;
  }
  return text;
}

/** What to do about a network failure, in the user's terms rather than OpenSSL's. */
function networkHint(err: TaxiiNetworkError): string {
  const text = causeText(err);
  if (/wrong version number|WRONG_VERSION_NUMBER|ssl3_get_record|packet length too long/i.test(text)) {
    return 'the server answers plain HTTP at this address: use http:// in --url, or its TLS port';
  }
  if (/SELF_SIGNED|self[- ]signed|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF|unable to verify|CERT_UNTRUSTED/i.test(text)) {
    return "the server's certificate is not signed by a CA this machine trusts: pass that CA's PEM file with --ca <file>";
  }
  if (/CERT_HAS_EXPIRED|certificate has expired/i.test(text)) return "the server's certificate has expired";
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate|Hostname\/IP does not match/i.test(text)) {
    return "the server's certificate does not name the host in --url";
  }
  return 'is the server up and the URL right?';
}

/**
 * One line saying why a network command failed, with a hint for the usual causes. Messages come from the client's
 * errors, which never carry credentials (URLs are shown without user:password).
 */
export function describeFailure(err: unknown): string {
  if (err instanceof TaxiiHttpError) {
    const hint =
      err.httpStatus === 401
        ? // Said the same whether credentials were missing or refused: the server's own text above says which.
          ' (check the credentials: --user, --token, --header, DISTILL_INTEL_USER / DISTILL_INTEL_TOKEN or --credentials)'
        : err.httpStatus === 403
          ? ' (ask the server operator for the rights this needs)'
          : err.httpStatus === 404
            ? ' (check --url: an API root such as https://host/api1/, a discovery URL ending in /taxii2/ or the server alone; and --collection)'
            : '';
    return err.message + hint;
  }
  if (err instanceof TaxiiNetworkError) return `${err.message} (${networkHint(err)})`;
  if (err instanceof TaxiiProtocolError) return `the server's answer broke TAXII 2.1: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
