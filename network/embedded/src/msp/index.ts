export { CertificateAuthority, orgDomain, type IssueRequest } from './ca';
export {
    FABRIC_ATTRS_OID,
    isNodeOU,
    NODE_OUS,
    readCertificate,
    type CertificateFields,
    type NodeOU,
} from './certificate';
export type { Credentials } from './credentials';
export { isLowS, signLowS, verifyLowS } from './ecdsa';
export {
    CorruptCredentialsError,
    DuplicateIdentityError,
    InvalidCreatorError,
    InvalidIdentityNameError,
    MembershipError,
    ReservedAttributeError,
    UnknownIdentityError,
    UnknownOrganizationError,
} from './errors';
export { createIdentity, serializeIdentity, type Identity, type IdentityInit } from './identity';
export { Membership, type EnrollOptions, type VerifiedCreator } from './membership';
