import { common, msp } from '@hyperledger/fabric-protos';
import { InvalidPolicyError, PolicySyntaxError } from './errors';

/*
 * Fabric's signature policy language (`peer lifecycle chaincode approveformyorg
 * --signature-policy`): AND(…), OR(…), OutOf(n, …) over principals '<MSP ID>.<role>'.
 * The envelope is built the way Fabric's policydsl builds it, so the bytes match a real peer's:
 * one identity per principal occurrence (no de-duplication), numbered gate by gate with the
 * principals of nested gates first, then the gate's own principals in order.
 */

/** MSP roles a principal can name. */
export type PrincipalRole = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

/** A ROLE-classified `msp.MSPPrincipal`: any identity of `mspId` in `role`. */
export interface RolePrincipal {
    mspId: string;
    role: PrincipalRole;
}

const ROLE_TYPES: Record<PrincipalRole, msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]> = {
    member: msp.MSPRole.MSPRoleType.MEMBER,
    admin: msp.MSPRole.MSPRoleType.ADMIN,
    client: msp.MSPRole.MSPRoleType.CLIENT,
    peer: msp.MSPRole.MSPRoleType.PEER,
    orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

/** Fabric accepts these three spellings of each gate and no others. */
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
    AND: 'and',
    And: 'and',
    and: 'and',
    OR: 'or',
    Or: 'or',
    or: 'or',
    OUTOF: 'outof',
    OutOf: 'outof',
    outof: 'outof',
};

const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;
const MAX_DEPTH = 64;

/**
 * Parses a signature policy such as `OutOf(2, 'Org1MSP.member', 'Org2MSP.peer', "Org3MSP.admin")`
 * into a `common.SignaturePolicyEnvelope`. Throws PolicySyntaxError with the offset of the fault.
 */
export function parseSignaturePolicy(expression: string): common.SignaturePolicyEnvelope {
    const parser = new Parser(expression);
    const gate = parser.parsePolicy();
    const principals: RolePrincipal[] = [];
    const rule = buildRule(gate, principals);
    const envelope = new common.SignaturePolicyEnvelope();
    envelope.setVersion(0);
    envelope.setRule(rule);
    envelope.setIdentitiesList(principals.map(encodePrincipal));
    return envelope;
}

/**
 * Decodes serialized `common.SignaturePolicyEnvelope` bytes, such as a key's validation parameter
 * written by fabric-shim's `KeyEndorsementPolicy`, checking that every rule is well formed and
 * every principal is a ROLE principal. Throws InvalidPolicyError otherwise.
 */
export function decodeSignaturePolicy(bytes: Uint8Array): common.SignaturePolicyEnvelope {
    let envelope: common.SignaturePolicyEnvelope;
    try {
        envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
    } catch (error) {
        throw new InvalidPolicyError(`the bytes are not a SignaturePolicyEnvelope (${(error as Error).message})`);
    }
    const principals = rolePrincipals(envelope);
    const rule = envelope.getRule();
    if (!rule) {
        throw new InvalidPolicyError('the envelope has no rule');
    }
    checkRule(rule, principals.length, 0);
    return envelope;
}

/** The envelope's identities as ROLE principals; InvalidPolicyError for any other classification. */
export function rolePrincipals(envelope: common.SignaturePolicyEnvelope): RolePrincipal[] {
    return envelope.getIdentitiesList().map((principal, index) => {
        if (principal.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE) {
            throw new InvalidPolicyError(
                `identity ${index} has principal classification ${principal.getPrincipalClassification()}; only ROLE principals are supported`,
            );
        }
        let role: msp.MSPRole;
        try {
            role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
        } catch (error) {
            throw new InvalidPolicyError(`identity ${index} is not an MSPRole (${(error as Error).message})`);
        }
        const name = (Object.keys(ROLE_TYPES) as PrincipalRole[]).find(
            (candidate) => ROLE_TYPES[candidate] === role.getRole(),
        );
        if (!name) {
            throw new InvalidPolicyError(`identity ${index} has unknown MSP role ${role.getRole()}`);
        }
        return { mspId: role.getMspIdentifier(), role: name };
    });
}

/** Writes an envelope back in the policy language, e.g. `AND('Org1MSP.peer', 'Org2MSP.peer')`. */
export function formatSignaturePolicy(envelope: common.SignaturePolicyEnvelope): string {
    const principals = rolePrincipals(envelope);
    const rule = envelope.getRule();
    if (!rule) {
        throw new InvalidPolicyError('the envelope has no rule');
    }
    const text = formatRule(rule, principals);
    // A bare principal is not a policy in the language; OR of one says the same.
    return rule.getTypeCase() === common.SignaturePolicy.TypeCase.SIGNED_BY ? `OR(${text})` : text;
}

function formatRule(rule: common.SignaturePolicy, principals: RolePrincipal[]): string {
    const nOutOf = rule.getNOutOf();
    if (!nOutOf) {
        const principal = principals[rule.getSignedBy()];
        return `'${principal.mspId}.${principal.role}'`;
    }
    const rules = nOutOf.getRulesList().map((child) => formatRule(child, principals));
    const n = nOutOf.getN();
    if (n === rules.length && rules.length > 1) {
        return `AND(${rules.join(', ')})`;
    }
    return n === 1 ? `OR(${rules.join(', ')})` : `OutOf(${n}, ${rules.join(', ')})`;
}

function checkRule(rule: common.SignaturePolicy, identities: number, depth: number): void {
    if (depth > MAX_DEPTH) {
        throw new InvalidPolicyError(`rules are nested deeper than ${MAX_DEPTH} levels`);
    }
    switch (rule.getTypeCase()) {
        case common.SignaturePolicy.TypeCase.SIGNED_BY: {
            const index = rule.getSignedBy();
            if (index < 0 || index >= identities) {
                throw new InvalidPolicyError(
                    `a rule signs by identity ${index}, but the envelope has ${identities} identities`,
                );
            }
            return;
        }
        case common.SignaturePolicy.TypeCase.N_OUT_OF:
            for (const child of rule.getNOutOf()?.getRulesList() ?? []) {
                checkRule(child, identities, depth + 1);
            }
            return;
        default:
            throw new InvalidPolicyError('a rule is neither signed_by nor n_out_of');
    }
}

function encodePrincipal(principal: RolePrincipal): msp.MSPPrincipal {
    const role = new msp.MSPRole();
    role.setMspIdentifier(principal.mspId);
    role.setRole(ROLE_TYPES[principal.role]);
    const encoded = new msp.MSPPrincipal();
    encoded.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
    encoded.setPrincipal(role.serializeBinary());
    return encoded;
}

interface GateNode {
    kind: 'gate';
    n: number;
    items: PolicyNode[];
}

type PolicyNode = GateNode | ({ kind: 'principal' } & RolePrincipal);

/** Nested gates take identity numbers before the gate's own principals, as in Fabric. */
function buildRule(gate: GateNode, principals: RolePrincipal[]): common.SignaturePolicy {
    const rules = gate.items.map((item) => (item.kind === 'gate' ? buildRule(item, principals) : undefined));
    const all = gate.items.map((item, index) => {
        const built = rules[index];
        if (built) {
            return built;
        }
        const signedBy = new common.SignaturePolicy();
        signedBy.setSignedBy(principals.push(item as RolePrincipal) - 1);
        return signedBy;
    });
    const nOutOf = new common.SignaturePolicy.NOutOf();
    nOutOf.setN(gate.n);
    nOutOf.setRulesList(all);
    const rule = new common.SignaturePolicy();
    rule.setNOutOf(nOutOf);
    return rule;
}

type TokenKind = 'name' | 'number' | 'string' | '(' | ')' | ',' | 'end';

interface Token {
    kind: TokenKind;
    text: string;
    position: number;
}

class Parser {
    readonly #expression: string;
    readonly #tokens: Token[];
    #next = 0;

    constructor(expression: string) {
        this.#expression = expression;
        this.#tokens = tokenize(expression);
    }

    parsePolicy(): GateNode {
        const first = this.#peek();
        if (first.kind !== 'name') {
            throw this.#error(first, `a policy starts with AND, OR or OutOf, not ${describe(first)}`);
        }
        const gate = this.#parseGate(1);
        this.#expect('end');
        return gate;
    }

    #parseGate(depth: number): GateNode {
        const name = this.#take();
        const kind = GATES[name.text];
        if (!kind) {
            throw this.#error(name, `unknown operator "${name.text}": expected AND, OR or OutOf`);
        }
        if (depth > MAX_DEPTH) {
            throw this.#error(name, `gates are nested deeper than ${MAX_DEPTH} levels`);
        }
        this.#expect('(');
        let count: Token | undefined;
        if (kind === 'outof') {
            count = this.#take();
            if (!(count.kind === 'number' || (count.kind === 'string' && /^-?\d+$/.test(count.text)))) {
                throw this.#error(count, `OutOf needs the number of required signatures first, not ${describe(count)}`);
            }
            this.#expect(',');
        }
        const items = [this.#parseItem(depth)];
        while (this.#peek().kind === ',') {
            this.#take();
            items.push(this.#parseItem(depth));
        }
        this.#expect(')');
        if (!count) {
            return { kind: 'gate', n: kind === 'and' ? items.length : 1, items };
        }
        const n = Number(count.text);
        // Fabric permits n = items + 1: a policy nobody can satisfy, used to make a key immutable.
        if (n < 0 || n > items.length + 1) {
            throw this.#error(
                count,
                `OutOf(${n}, …) over ${items.length} items: the number must be between 0 and ${items.length + 1}`,
            );
        }
        return { kind: 'gate', n, items };
    }

    #parseItem(depth: number): PolicyNode {
        const token = this.#peek();
        if (token.kind === 'name') {
            return this.#parseGate(depth + 1);
        }
        if (token.kind !== 'string') {
            throw this.#error(
                token,
                `expected a principal such as 'Org1MSP.member' or a nested gate, not ${describe(token)}`,
            );
        }
        this.#take();
        const match = PRINCIPAL.exec(token.text);
        if (!match) {
            throw this.#error(
                token,
                `"${token.text}" is not a principal: write '<MSP ID>.<role>' with role member, admin, client, peer or orderer`,
            );
        }
        return { kind: 'principal', mspId: match[1], role: match[2] as PrincipalRole };
    }

    #peek(): Token {
        return this.#tokens[this.#next];
    }

    #take(): Token {
        const token = this.#tokens[this.#next];
        if (token.kind !== 'end') {
            this.#next++;
        }
        return token;
    }

    #expect(kind: TokenKind): Token {
        const token = this.#take();
        if (token.kind !== kind) {
            throw this.#error(
                token,
                `expected ${kind === 'end' ? 'the end of the policy' : `"${kind}"`}, not ${describe(token)}`,
            );
        }
        return token;
    }

    #error(token: Token, reason: string): PolicySyntaxError {
        return new PolicySyntaxError(this.#expression, token.position, reason);
    }
}

function describe(token: Token): string {
    switch (token.kind) {
        case 'end':
            return 'the end of the policy';
        case 'string':
            return `the string '${token.text}'`;
        default:
            return `"${token.text}"`;
    }
}

function tokenize(expression: string): Token[] {
    const tokens: Token[] = [];
    let position = 0;
    while (position < expression.length) {
        const char = expression[position];
        if (/\s/.test(char)) {
            position++;
        } else if (char === '(' || char === ')' || char === ',') {
            tokens.push({ kind: char, text: char, position });
            position++;
        } else if (char === "'" || char === '"') {
            const close = expression.indexOf(char, position + 1);
            if (close < 0) {
                throw new PolicySyntaxError(
                    expression,
                    position,
                    `the string opened here is never closed with ${char}`,
                );
            }
            tokens.push({ kind: 'string', text: expression.slice(position + 1, close), position });
            position = close + 1;
        } else {
            const word = /^(?:-?\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(expression.slice(position));
            if (!word) {
                throw new PolicySyntaxError(expression, position, `unexpected character "${char}"`);
            }
            tokens.push({ kind: /^-?\d/.test(word[0]) ? 'number' : 'name', text: word[0], position });
            position += word[0].length;
        }
    }
    tokens.push({ kind: 'end', text: '', position: expression.length });
    return tokens;
}
