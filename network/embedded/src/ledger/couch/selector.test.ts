import { describe, expect, it } from 'vitest';
import { type JsonObject, readJsonObject } from './json-value';
import { normalizeSelector } from './selector';
import { matches } from './selector-match';

const parsed = (text: string): JsonObject => readJsonObject(Buffer.from(text)) as JsonObject;
const json = (value: unknown): JsonObject => parsed(JSON.stringify(value));
const docs = {
    tom: '{"owner": "tom", "size": 5, "tags": ["a", "b"], "nested": {"x": 0}}',
    none: '{"size": 2}',
    nil: '{"owner": null, "size": 0, "tags": []}',
    bob: '{"owner": "Bob", "size": 7.0, "tags": [1, 2], "s": "xyz"}',
};
const matching = (selector: unknown): string[] =>
    Object.entries(docs)
        .filter(([, doc]) => matches(normalizeSelector(json(selector)), parsed(doc)))
        .map(([name]) => name);

describe("Mango selectors, as CouchDB's mango_selector normalizes and matches them", () => {
    it('needs the field for every operator but $exists: false', () => {
        expect(matching({ owner: { $ne: 'tom' } })).toEqual(['nil', 'bob']);
        expect(matching({ owner: { $nin: ['tom'] } })).toEqual(['nil', 'bob']);
        expect(matching({ owner: { $in: [null] } })).toEqual(['nil']);
        expect(matching({ owner: { $exists: false } })).toEqual(['none']);
        expect(matching({ owner: null })).toEqual(['nil']);
    });

    it('moves $not and $nor down onto the conditions', () => {
        expect(matching({ $not: { owner: 'tom' } })).toEqual(['nil', 'bob']);
        expect(matching({ $nor: [{ owner: 'tom' }, { size: 7 }] })).toEqual(['nil']);
        expect(matching({ owner: { $not: { $exists: true } } })).toEqual(['none']);
        expect(matching({ size: { $not: { $mod: [2, 1] } } })).toEqual(['none', 'nil', 'bob']);
    });

    it('pushes a field into $or and $and beneath it, and reads dotted paths only through objects and arrays', () => {
        expect(matching({ owner: { $or: [{ $eq: 'tom' }, { $eq: 'Bob' }] } })).toEqual(['tom', 'bob']);
        expect(matching({ nested: { x: 0 } })).toEqual(['tom']);
        expect(matching({ 'nested.x.y': 0 })).toEqual([]);
        expect(matching({ 's.length': 3 })).toEqual([]);
        expect(matching({ 'tags.1': 'b' })).toEqual(['tom']);
        expect(matching({ constructor: { $exists: true } })).toEqual([]);
    });

    it("compares as CouchDB's view collation: types in order, strings by ICU, 7.0 equal to 7", () => {
        expect(matching({ owner: { $gt: 'Bob' } })).toEqual(['tom']);
        // Across types too: null sorts before every string.
        expect(matching({ owner: { $lt: 'b' } })).toEqual(['nil']);
        expect(matching({ owner: { $gt: null } })).toEqual(['tom', 'bob']);
        expect(matching({ size: 7 })).toEqual(['bob']);
        // $mod takes integers only: 7.0 is a float to CouchDB.
        expect(matching({ size: { $mod: [7, 0] } })).toEqual(['nil']);
    });

    it('matches arrays with $elemMatch, $allMatch, $all, $size, $in', () => {
        // Strings sort after numbers, so "a" > 1.
        expect(matching({ tags: { $elemMatch: { $gt: 1 } } })).toEqual(['tom', 'bob']);
        expect(matching({ tags: { $allMatch: { $type: 'string' } } })).toEqual(['tom']);
        expect(matching({ tags: { $all: ['a'] } })).toEqual(['tom']);
        expect(matching({ tags: { $size: 0 } })).toEqual(['nil']);
        expect(matching({ tags: { $in: [2, 'b'] } })).toEqual(['tom', 'bob']);
    });

    it("refuses what CouchDB refuses, with CouchDB's reasons", () => {
        const refusal = (selector: unknown) => () => normalizeSelector(json(selector));
        expect(refusal({ a: { $foo: 1 } })).toThrow(
            'Error:invalid_operator,  Status Code:400,  Reason:Invalid operator: $foo',
        );
        expect(refusal({ a: { $in: 'x' } })).toThrow('Reason:Bad argument for operator $in: <<"x">>');
        expect(refusal({ a: { $mod: [2.5, 1] } })).toThrow('Reason:Bad argument for operator $mod: [2.5,1]');
        expect(refusal({ a: { $size: -1 } })).toThrow('Bad argument for operator $size: -1');
        expect(refusal({ $and: { a: 1 } })).toThrow('Bad argument for operator $and: {[{<<"a">>,1}]}');
        expect(refusal({ a: { $where: 'x' } })).toThrow('Reason:Unsupported operator: $where');
        expect(refusal({ $gt: 1 })).toThrow('Reason:One or more conditions is missing a field name.');
        expect(() => normalizeSelector('x')).toThrow('Reason:Selector must be a JSON object, not: <<"x">>');
    });
});
