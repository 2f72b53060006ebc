import { common, msp } from '@hyperledger/fabric-protos';
import { ErrorCode, ZhelianError } from '@zhelian/api';

const ROLES: Readonly<Record<string, number>> = {
    member: msp.MSPRole.MSPRoleType.MEMBER,
    admin: msp.MSPRole.MSPRoleType.ADMIN,
    client: msp.MSPRole.MSPRoleType.CLIENT,
    peer: msp.MSPRole.MSPRoleType.PEER,
    orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

type Expression = { principal: string; role: number } | { n: number; rules: Expression[] };

/**
 * Fabric's signature policy language (`AND('A.member', OR('B.peer', 'C.peer'))`, `OutOf(2, …)`)
 * as the `SignaturePolicyEnvelope` the peer stores, each principal occurrence an identity of its
 * own as Fabric's policy parser emits them.
 *
 * ```ts
 * const envelope = signaturePolicy("OR('RegulatorMSP.member','MemberMSP.member')");
 * ```
 */
export function signaturePolicy(text: string): common.SignaturePolicyEnvelope {
    const parser = new PolicyParser(text);
    const expression = parser.parse();
    const identities: msp.MSPPrincipal[] = [];
    const toRule = (node: Expression): common.SignaturePolicy => {
        const rule = new common.SignaturePolicy();
        if ('principal' in node) {
            const role = new msp.MSPRole();
            role.setMspIdentifier(node.principal);
            role.setRole(node.role as msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]);
            const principal = new msp.MSPPrincipal();
            principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
            principal.setPrincipal(role.serializeBinary());
            identities.push(principal);
            rule.setSignedBy(identities.length - 1);
        } else {
            const nOutOf = new common.SignaturePolicy.NOutOf();
            nOutOf.setN(node.n);
            nOutOf.setRulesList(node.rules.map(toRule));
            rule.setNOutOf(nOutOf);
        }
        return rule;
    };
    const envelope = new common.SignaturePolicyEnvelope();
    envelope.setVersion(0);
    envelope.setRule(toRule(expression));
    envelope.setIdentitiesList(identities);
    return envelope;
}

class PolicyParser {
    #at = 0;

    constructor(readonly text: string) {}

    parse(): Expression {
        const expression = this.#expression();
        this.#space();
        if (this.#at !== this.text.length) {
            this.#fail('unexpected text after the policy');
        }
        return expression;
    }

    #expression(): Expression {
        this.#space();
        const quote = this.text[this.#at];
        if (quote === "'" || quote === '"') {
            return this.#principal(quote);
        }
        const name = /^[A-Za-z]+/.exec(this.text.slice(this.#at))?.[0] ?? '';
        this.#at += name.length;
        this.#expect('(');
        const operator = name.toLowerCase();
        let n: number | undefined;
        if (operator === 'outof') {
            this.#space();
            const digits = /^\d+/.exec(this.text.slice(this.#at))?.[0];
            if (!digits) {
                this.#fail('OutOf needs a count first');
            }
            this.#at += digits.length;
            n = Number(digits);
            this.#expect(',');
        } else if (operator !== 'and' && operator !== 'or') {
            this.#fail(`"${name}" is not AND, OR or OutOf`);
        }
        const rules = [this.#expression()];
        for (this.#space(); this.text[this.#at] === ','; this.#space()) {
            this.#at += 1;
            rules.push(this.#expression());
        }
        this.#expect(')');
        return { n: n ?? (operator === 'and' ? rules.length : 1), rules };
    }

    #principal(quote: string): Expression {
        const end = this.text.indexOf(quote, this.#at + 1);
        if (end < 0) {
            this.#fail('unterminated principal');
        }
        const body = this.text.slice(this.#at + 1, end);
        this.#at = end + 1;
        const dot = body.lastIndexOf('.');
        const role = ROLES[body.slice(dot + 1)];
        if (dot <= 0 || role === undefined) {
            this.#fail(`'${body}' is not 'MSPID.role' with role member, admin, client, peer or orderer`);
        }
        return { principal: body.slice(0, dot), role };
    }

    #expect(char: string): void {
        this.#space();
        if (this.text[this.#at] !== char) {
            this.#fail(`expected "${char}"`);
        }
        this.#at += 1;
    }

    #space(): void {
        while (/\s/.test(this.text[this.#at] ?? '')) {
            this.#at += 1;
        }
    }

    #fail(reason: string): never {
        throw new ZhelianError(
            ErrorCode.POLICY_SYNTAX,
            `Policy ${JSON.stringify(this.text)} at character ${this.#at + 1}: ${reason}`,
        );
    }
}
