// Whether a host name or address stays on this machine: the CLI sends credentials over plain http only
// to such a host, and the server warns when it listens beyond one without TLS.
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
