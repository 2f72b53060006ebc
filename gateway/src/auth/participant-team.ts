import type { IdentityInfo, IdentityRef } from '@zhelian/api';
import { HttpError } from '../http/http-error';
import { identityKey } from './access';
import type { IdentityDirectory } from './identity-directory';

/** The certificate attribute that says whose team an identity is in (Fabric CA attribute; chaincode ignores it). */
export const PARTICIPANT_ATTRIBUTE = 'participant';

/** A participant's identity for one role: the network's identity it stands in for, and its own. */
export interface TeamMember extends IdentityRef {
    /** `MSP:user` of the network's identity whose role and unit it has, e.g. `MemberMSP:zheyi`. */
    actsFor: string;
}

/** A participant's name: letters, digits, `_` and `-`; it prefixes the names of its identities. */
export const PARTICIPANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;

/** Whether an identity belongs to a participant's team (its certificate says so). */
export const isTeamIdentity = (identity: IdentityInfo): boolean => identity.attrs[PARTICIPANT_ATTRIBUTE] !== undefined;

/** The network's identities a team has a stand-in for: those with a `role` attribute, no team's own. */
export const rolesOf = (identities: readonly IdentityInfo[]): IdentityInfo[] =>
    identities.filter((identity) => identity.attrs.role !== undefined && !isTeamIdentity(identity));

/**
 * Gives a workshop participant an identity of its own for each role the lessons act as: for
 * `MemberMSP:zheyi` (浙一医院's hospital role), `MemberMSP:alice.zheyi`, with the same NodeOU and
 * attributes (so the chaincode grants it the same rights) plus `participant: alice`, enrolled at
 * its organization's CA. Issuing a second token to the same participant finds its identities
 * there and reuses them. Authorization stays with the certificates: the token only says which of
 * them its holder may act as.
 *
 * ```ts
 * const team = await enrollTeam(directory, 'alice');
 * team.find((member) => member.actsFor === 'MemberMSP:zheyi'); // { mspId: 'MemberMSP', name: 'alice.zheyi', … }
 * ```
 */
export async function enrollTeam(directory: IdentityDirectory, participant: string): Promise<TeamMember[]> {
    const known = await directory.list();
    const byKey = new Map(known.map((identity) => [identityKey(identity), identity]));
    const team: TeamMember[] = [];
    for (const role of rolesOf(known)) {
        const member = { mspId: role.mspId, name: `${participant}.${role.name}` };
        const existing = byKey.get(identityKey(member));
        if (existing && existing.attrs[PARTICIPANT_ATTRIBUTE] !== participant) {
            throw new HttpError(
                409,
                'IDENTITY_TAKEN',
                `${identityKey(member)} exists and is not ${participant}'s: choose another participant name`,
                { field: 'participant' },
            );
        }
        if (!existing) {
            await directory.enroll(member.mspId, member.name, {
                role: role.role === 'admin' ? 'admin' : 'client',
                // The CA sets its own hf.* attributes (enrollment id, affiliation, type) for the new name.
                attrs: {
                    ...Object.fromEntries(Object.entries(role.attrs).filter(([name]) => !name.startsWith('hf.'))),
                    [PARTICIPANT_ATTRIBUTE]: participant,
                },
            });
        }
        team.push({ ...member, actsFor: identityKey(role) });
    }
    return team;
}

/** The team members among `identities`: each participant identity with the role it stands in for. */
export function teamMembers(identities: readonly IdentityRef[], all: readonly IdentityInfo[]): TeamMember[] {
    const roles = new Map(rolesOf(all).map((role) => [identityKey(role), role]));
    return identities.map((identity) => {
        const base = identity.name.slice(identity.name.indexOf('.') + 1);
        const actsFor = `${identity.mspId}:${base}`;
        return {
            ...identity,
            actsFor: identity.name.includes('.') && roles.has(actsFor) ? actsFor : identityKey(identity),
        };
    });
}
