import * as path from 'node:path';

/*
 * fabric-shim builds a ClientIdentity for every transaction, and each one parses the creator's
 * PEM certificate with @fidm/x509 (`Certificate.fromPEM`): an ASN.1 walk per execution for the
 * few certificates a network has. The shim's instance of @fidm/x509 gets a cache of parsed
 * certificates, keyed by the PEM text, which gives the same fields for the same bytes.
 *
 * The chaincode does not share that instance: once the shim holds it, the package's files leave
 * `require.cache`, so a chaincode that requires @fidm/x509 itself loads its own, unchanged copy
 * and never sees a certificate object the shim parsed.
 */

/** The part of @fidm/x509 this touches. */
interface X509Module {
    Certificate: { fromPEM(data: string | Uint8Array): unknown };
}

// A network has a few certificates; the bound only keeps unexpected ones from growing it.
const MAX_CACHED_CERTIFICATES = 1024;

/**
 * Gives the @fidm/x509 that `shimRequire` (a require relative to fabric-shim, after the shim has
 * loaded) resolves a parse cache, and takes that instance out of `require.cache`. Does nothing
 * when the shim does not use @fidm/x509.
 */
export function cacheShimCertificateParsing(shimRequire: NodeJS.Require): void {
    let packageDir: string;
    let x509: X509Module;
    try {
        packageDir = path.dirname(shimRequire.resolve('@fidm/x509/package.json')) + path.sep;
        x509 = shimRequire('@fidm/x509') as X509Module;
    } catch {
        return;
    }
    const fromPEM = x509.Certificate.fromPEM.bind(x509.Certificate);
    const parsed = new Map<string, unknown>();
    x509.Certificate.fromPEM = (data) => {
        const key = typeof data === 'string' ? `s${data}` : `b${Buffer.from(data).toString('latin1')}`;
        let certificate = parsed.get(key);
        if (certificate === undefined) {
            certificate = fromPEM(data);
            if (parsed.size >= MAX_CACHED_CERTIFICATES) {
                parsed.clear();
            }
            parsed.set(key, certificate);
        }
        return certificate;
    };
    for (const file of Object.keys(shimRequire.cache)) {
        if (file.startsWith(packageDir)) {
            delete shimRequire.cache[file];
        }
    }
}
