// Mutual TLS on the verify path (README, TLS): which client certificate a gateway's connection
// presented, counted by subject and logged at debug, and — with --require-client-cert-for-verify —
// verify calls refused without one from --tls-client-ca. The verify token still decides what the
// caller may do; the certificate only says which machine is calling.
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { problem, type ApiError } from '../problems.js';
import { oneLineName } from '../../shared/pem-files.js';
import type { HotCounter, HotCounters } from './counters.js';

/** Distinct certificate subjects given their own metric label; the rest are counted as "other". */
const MAX_SUBJECTS = 100;

interface Presented {
  /** Issued by the client CA (the TLS layer checked the chain). */
  verified: boolean;
  counter: HotCounter;
}

export interface ClientCertificateOptions {
  /** Refuse verify calls whose connection has no certificate from the client CA. */
  required: boolean;
  counters: HotCounters;
  log: Logger | false;
}

export class ClientCertificates {
  /** connection → what it presented (a TLS connection's certificate never changes). */
  private readonly byConnection = new WeakMap<object, Presented>();
  private readonly bySubject = new Map<string, HotCounter>();
  private subjectLabels = 0;
  private readonly counter: (subject: string) => HotCounter;

  constructor(private readonly opts: ClientCertificateOptions) {
    this.counter = (subject) => {
      let counter = this.bySubject.get(subject);
      if (counter === undefined) {
        counter = opts.counters.counter('tokens_verify_client_cert_total', 'verify calls by the TLS client certificate of the connection (subject when issued by --tls-client-ca)', { subject });
        this.bySubject.set(subject, counter);
      }
      return counter;
    };
  }

  /** Counts the call by its connection's certificate; the refusal when one is required and missing. */
  admit(connection: object | undefined, requestId: string): ApiError | null {
    const presented = connection === undefined ? undefined : (this.byConnection.get(connection) ?? this.identify(connection, requestId));
    if (presented === undefined) {
      this.counter('none').value++;
      return this.opts.required ? REQUIRED : null;
    }
    presented.counter.value++;
    return this.opts.required && !presented.verified ? REQUIRED : null;
  }

  private identify(connection: object, requestId: string): Presented {
    const socket = connection as Partial<TLSSocket>;
    const certificate = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
    let presented: Presented;
    if (certificate === undefined) {
      presented = { verified: false, counter: this.counter('none') };
    } else if (socket.authorized !== true) {
      // Anyone can present a self-made certificate: its subject is neither believed nor a label.
      presented = { verified: false, counter: this.counter('unverified') };
      if (this.opts.log) this.opts.log.debug({ reqId: requestId, peer: socket.remoteAddress, reason: String(socket.authorizationError) }, 'verify caller presented a client certificate not issued by --tls-client-ca');
    } else {
      const subject = oneLineName(certificate.subject);
      const known = this.bySubject.has(subject);
      const label = known || this.subjectLabels < MAX_SUBJECTS ? subject : 'other';
      if (!known && label === subject) this.subjectLabels++;
      presented = { verified: true, counter: this.counter(label) };
      if (this.opts.log) {
        this.opts.log.debug({ reqId: requestId, peer: socket.remoteAddress, port: socket.remotePort, subject, issuer: oneLineName(certificate.issuer), sha256: certificate.fingerprint256 }, 'verify caller presented a client certificate');
      }
    }
    this.byConnection.set(connection, presented);
    return presented;
  }
}

const REQUIRED = problem('forbidden', 'client_certificate_required', 'verify calls need a TLS client certificate issued by the CA this server trusts (--tls-client-ca)');
