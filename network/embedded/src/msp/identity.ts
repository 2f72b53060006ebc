import { createPrivateKey, type KeyObject } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import type { NodeOU } from './certificate';
import { signOffThread } from './ecdsa-thread';

/**
 * A signing identity on the network: who it is (MSP ID, enrollment name, NodeOU, Fabric CA
 * attributes), its certificate, and a signer holding its private key.
 *
 * ```ts
 * const finance = membership.identity('RegulatorMSP', 'finance');
 * const creator = serializeIdentity(finance); // msp.SerializedIdentity bytes
 * const signature = await finance.sign(proposalBytes); // DER ECDSA-SHA256, low S
 * ```
 */
export interface Identity {
    readonly mspId: string;
    /** Enrollment ID: the certificate's CN, unique within the MSP. */
    readonly name: string;
    /** NodeOU of the certificate: `client`, `admin`, `peer` or `orderer`. */
    readonly role: NodeOU;
    /** Fabric CA attributes of the certificate, `hf.*` included (as chaincode sees them). */
    readonly attrs: Readonly<Record<string, string>>;
    /** PEM of the enrollment certificate. */
    readonly certificate: string;
    /** The certificate PEM as bytes, as `@hyperledger/fabric-gateway` identities carry it. */
    readonly credentials: Uint8Array;
    /**
     * Signs `message` with SHA-256 ECDSA; DER-encoded with S normalised low, as Fabric requires.
     * Asynchronous, as fabric-gateway's `Signer` is: it runs on the signing thread, off the event loop.
     */
    sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The parts an identity is made from; `privateKey` is PKCS#8 PEM. */
export interface IdentityInit {
    mspId: string;
    name: string;
    role: NodeOU;
    attrs: Record<string, string>;
    certificate: string;
    privateKey: string;
    /** `privateKey` parsed, when the caller has it already. */
    key?: KeyObject;
}

/** Builds an Identity whose signer holds the parsed private key, so signing never re-parses PEM. */
export function createIdentity(init: IdentityInit): Identity {
    return new SigningIdentity(init, init.key ?? createPrivateKey(init.privateKey));
}

/** `msp.SerializedIdentity` bytes of an identity: the creator field of headers and endorsements. */
export function serializeIdentity(identity: Pick<Identity, 'mspId' | 'credentials'>): Uint8Array {
    const serialized = new msp.SerializedIdentity();
    serialized.setMspid(identity.mspId);
    serialized.setIdBytes(identity.credentials);
    return serialized.serializeBinary();
}

class SigningIdentity implements Identity {
    readonly mspId: string;
    readonly name: string;
    readonly role: NodeOU;
    readonly attrs: Readonly<Record<string, string>>;
    readonly certificate: string;
    readonly #privateKey: KeyObject;

    constructor(init: IdentityInit, privateKey: KeyObject) {
        this.mspId = init.mspId;
        this.name = init.name;
        this.role = init.role;
        this.attrs = Object.freeze({ ...init.attrs });
        this.certificate = init.certificate;
        this.#privateKey = privateKey;
    }

    get credentials(): Uint8Array {
        // A fresh copy each time: callers may hand it to code that mutates buffers.
        return new TextEncoder().encode(this.certificate);
    }

    sign(message: Uint8Array): Promise<Uint8Array> {
        return signOffThread(this.#privateKey, message);
    }
}
