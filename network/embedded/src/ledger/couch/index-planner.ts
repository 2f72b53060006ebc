import type { FindRequest } from './find-request';
import type { IndexDefinition } from './index-definition';
import { QueryError } from './query-error';
import type { Selector } from './selector';

/** The index a query runs on: a JSON index, or CouchDB's built-in `_all_docs` (documents in id order). */
export type ChosenIndex = IndexDefinition | 'all_docs';

/**
 * CouchDB's query planner (`mango_idx:get_usable_indexes`, `mango_cursor:create`,
 * `mango_cursor_view:choose_best_index`): an index is usable when the selector requires every
 * field it indexes (sort fields aside) and, for a sort, when the sort fields lead its columns
 * after columns held constant; `_all_docs` serves queries without a sort, or sorted by `_id`.
 * A sort no index serves is refused; `use_index` picks among the usable indexes, and when it
 * names none of them the planner falls back (unless `allow_fallback` is false). JSON indexes are
 * preferred to `_all_docs`; among them, the one whose leading columns the selector narrows most,
 * then the one with fewest columns, then by design document and name.
 */
export function chooseIndex(request: FindRequest, indexes: readonly IndexDefinition[]): ChosenIndex {
    const sortFields = request.sort?.fields ?? [];
    const named = (index: IndexDefinition) =>
        request.useIndex !== undefined &&
        index.ddoc === request.useIndex.ddoc &&
        (request.useIndex.name === undefined || index.name === request.useIndex.name);
    const candidates = indexes.filter((index) => index.partialFilter === undefined || named(index));
    const usable: ChosenIndex[] = candidates.filter((index) => isUsable(index, request.selector, sortFields));
    if (allDocsUsable(request.selector, sortFields)) {
        usable.push('all_docs');
    }
    if (usable.length === 0) {
        throw QueryError.couch('no_usable_index', 'No index exists for this sort, try indexing by the sort fields.');
    }
    let chosen = usable;
    if (request.useIndex) {
        const asked = usable.filter((index) => index !== 'all_docs' && named(index));
        if (asked.length > 0) {
            chosen = asked;
        } else if (!request.allowFallback) {
            throw QueryError.couch(
                'no_usable_index',
                `The index specified with "use_index" is not usable for the query.`,
            );
        }
    }
    const json = chosen.filter((index): index is IndexDefinition => index !== 'all_docs');
    return json.length > 0 ? best(json, request.selector) : 'all_docs';
}

function isUsable(index: IndexDefinition, selector: Selector, sortFields: readonly string[]): boolean {
    const required = index.fields.filter((field) => !sortFields.includes(field) && field !== '_id' && field !== '_rev');
    return hasRequiredFields(selector, required) && canUseSort(index.fields, sortFields, selector);
}

function canUseSort(columns: readonly string[], sortFields: readonly string[], selector: Selector): boolean {
    if (sortFields.length === 0) {
        return true;
    }
    if (columns.length === 0) {
        return false;
    }
    if (columns[0] === sortFields[0]) {
        return sortFields.every((field, i) => columns[i] === field);
    }
    return isConstantField(selector, columns[0]) && canUseSort(columns.slice(1), sortFields, selector);
}

function allDocsUsable(selector: Selector, sortFields: readonly string[]): boolean {
    return (
        sortFields.length === 0 ||
        (indexableFields(selector).includes('_id') && sortFields.length === 1 && sortFields[0] === '_id')
    );
}

function best(indexes: IndexDefinition[], selector: Selector): IndexDefinition {
    const narrowed = indexableFields(selector);
    const difference = (index: IndexDefinition) => {
        let prefix = 0;
        while (prefix < index.fields.length && narrowed.includes(index.fields[prefix])) {
            prefix++;
        }
        return narrowed.length - prefix;
    };
    return [...indexes].sort(
        (a, b) =>
            difference(a) - difference(b) ||
            a.fields.length - b.fields.length ||
            (a.ddoc < b.ddoc ? -1 : a.ddoc > b.ddoc ? 1 : 0) ||
            (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )[0];
}

/** The conditions at the top of a selector that all must hold (seen through `$and` only). */
function conjuncts(selector: Selector): Selector[] {
    return selector.kind === 'and' ? selector.args.flatMap(conjuncts) : [selector];
}

/**
 * Whether every matching document has all these fields (`mango_selector:has_required_fields`):
 * a condition on the field other than `$exists: false`, or an `$or` whose every branch requires it.
 */
function hasRequiredFields(selector: Selector, required: readonly string[]): boolean {
    if (selector.kind === 'all') {
        return false;
    }
    const top = conjuncts(selector);
    return required.every((field) =>
        top.some(
            (condition) =>
                (condition.kind === 'field' &&
                    condition.field === field &&
                    !(condition.cond.op === '$exists' && !condition.cond.arg)) ||
                (condition.kind === 'or' && condition.args.every((branch) => hasRequiredFields(branch, [field]))),
        ),
    );
}

/** A field held to one value by an `$eq` at the top (`mango_selector:is_constant_field`). */
function isConstantField(selector: Selector, field: string): boolean {
    return conjuncts(selector).some(
        (condition) => condition.kind === 'field' && condition.field === field && condition.cond.op === '$eq',
    );
}

/** Fields an index scan could narrow (`mango_idx_view:indexable_fields`): range and equality conditions under `$and`. */
function indexableFields(selector: Selector): string[] {
    const fields = conjuncts(selector).flatMap((condition) =>
        condition.kind === 'field' && ['$lt', '$lte', '$eq', '$gt', '$gte'].includes(condition.cond.op)
            ? [condition.field]
            : [],
    );
    return [...new Set(fields)].sort();
}
