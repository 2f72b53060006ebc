import { X509Certificate } from 'node:crypto';
import type { Signer } from './explorer';

/**
 * A creator or endorser as every backend's explorer shows it: the MSP ID and the certificate's
 * subject on one line (`CN=zheyi, OU=client, O=member.zhelian.example`), or `(unreadable
 * certificate)` when the bytes are not one. The backends take both from the serialized identity
 * they decode themselves (`msp.SerializedIdentity`'s `mspid` and `id_bytes`, PEM or DER).
 *
 * @example
 * const identity = msp.SerializedIdentity.deserializeBinary(envelope.creator);
 * const creator = signerOf(identity.getMspid(), identity.getIdBytes_asU8());
 */
export function signerOf(mspId: string, certificate: Uint8Array): Signer {
    let subject: string;
    try {
        subject = new X509Certificate(Buffer.from(certificate)).subject.replace(/\n/g, ', ');
    } catch {
        subject = '(unreadable certificate)';
    }
    return { mspId, subject };
}
