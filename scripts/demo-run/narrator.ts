import { MultiBar, type SingleBar } from 'cli-progress';
import type { Chapter, Step } from './chapter';
import type { Outcome } from './run-step';
import { certificateName, type Language, t, type Text } from './text';

const WORDS = {
    tx: t('交易', 'tx'),
    block: t('区块', 'block'),
    refused: t('被拒绝', 'refused'),
    refusedBy: t('背书节点执行合约后拒绝', 'refused by the endorsing peers'),
    neverOrdered: t('未提交排序：没有区块，账本未变', 'never ordered: no block, nothing changed'),
    protects: t('保护的规则', 'protects'),
    query: t('查询（只在一个节点上执行，不排序、不出块）', 'query (run on one peer, never ordered, no block)'),
    skipped: t('已由之前的运行完成', 'done by an earlier run'),
    waiting: t('等待', 'waiting for'),
    retried: t(
        '其它交易先改变了它读取的数据（MVCC 冲突或节点高度不同），重新提交；第几次成功：',
        'others changed what it read first (an MVCC conflict, or peers at different heights): submitted again; committed on attempt',
    ),
} as const;

/** `2:05` from milliseconds. */
const clock = (ms: number): string => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/** An argument as a line can show it: a certificate id by its subject's name, long text cut. */
const shortArgument = (arg: string): string => {
    if (arg.startsWith('x509::')) {
        return certificateName(arg);
    }
    return arg.length > 24 ? `${arg.slice(0, 21)}…` : arg;
};

/**
 * Tells the demo: a chapter heading, then for each step a numbered line with what happens and a
 * line with who signed, the transaction and how the network judged it. On a terminal a progress
 * bar (cli-progress) stays under the story; elsewhere (a pipe, a test) the step counter in each
 * line is the progress.
 */
export class Narrator {
    readonly #language: Language;
    readonly #total: number;
    readonly #write: (text: string) => void;
    readonly #labels: ReadonlyMap<string, string>;
    readonly #bars: MultiBar | undefined;
    readonly #bar: SingleBar | undefined;
    #done = 0;

    constructor(options: {
        language: Language;
        total: number;
        /** `MSP:user` → how the audience knows it, e.g. `浙江大学医学院附属第一医院 (MemberMSP:zheyi)`. */
        labels: ReadonlyMap<string, string>;
        stream?: NodeJS.WriteStream;
    }) {
        const stream = options.stream ?? process.stdout;
        this.#language = options.language;
        this.#total = options.total;
        this.#labels = options.labels;
        if (stream.isTTY) {
            this.#bars = new MultiBar({
                stream,
                format: ' {bar} {value}/{total} {status}',
                barsize: 30,
                barCompleteChar: '█',
                barIncompleteChar: '░',
                hideCursor: true,
                clearOnComplete: true,
                autopadding: true,
            });
            this.#bar = this.#bars.create(options.total, 0, { status: '' });
            this.#write = (text) => this.#bars?.log(`${text}\n`);
        } else {
            this.#write = (text) => stream.write(`${text}\n`);
        }
    }

    say(text: Text | string): void {
        this.#write(typeof text === 'string' ? text : text[this.#language]);
    }

    chapter(chapter: Chapter): void {
        this.#write('');
        this.#write(`━━ ${this.#t(chapter.title)} · ${chapter.contract} ━━`);
        for (const line of this.#t(chapter.story).split('\n')) {
            this.#write(`   ${line}`);
        }
        this.#bar?.update(this.#done, { status: chapter.contract });
    }

    /** Waits until `at`, counting down on the bar, with a line that says why. */
    async wait(at: number, what: Text): Promise<void> {
        const remaining = at - Date.now();
        if (remaining <= 0) {
            return;
        }
        this.#write(`        … ${this.#t(WORDS.waiting)} ${this.#t(what)} (${clock(remaining)})`);
        while (Date.now() < at) {
            this.#bar?.update(this.#done, { status: `${this.#t(WORDS.waiting)} ${clock(at - Date.now())}` });
            await new Promise((resolve) => setTimeout(resolve, Math.min(1000, at - Date.now())));
        }
    }

    step(step: Step, contract: string, outcome: Outcome): void {
        this.#done++;
        const width = String(this.#total).length;
        const counter = `[${String(this.#done).padStart(width)}/${this.#total}]`;
        const indent = ' '.repeat(counter.length + 1);
        const who = this.#labels.get(step.actor) ?? step.actor;
        const call = `${contract}:${step.fn}(${(step.args?.() ?? []).map(shortArgument).join(', ')})`;
        this.#write(`${counter} ${this.#t(step.say())}`);
        switch (outcome.kind) {
            case 'committed':
                this.#write(`${indent}✓ ${who} · ${call}`);
                this.#write(
                    `${indent}  ${this.#t(WORDS.tx)} ${outcome.txId} · ${this.#t(WORDS.block)} ${outcome.blockNumber} · ${outcome.code} ${outcome.codeName}`,
                );
                if (outcome.attempts > 1) {
                    this.#write(`${indent}  ${this.#t(WORDS.retried)} ${outcome.attempts}`);
                }
                break;
            case 'evaluated':
                this.#write(`${indent}? ${who} · ${call} — ${this.#t(WORDS.query)}`);
                break;
            case 'refused':
                this.#write(`${indent}✗ ${who} · ${call}`);
                this.#write(`${indent}  ${this.#t(WORDS.refusedBy)}: ${outcome.message}`);
                this.#write(
                    `${indent}  ${outcome.txId ? `${this.#t(WORDS.tx)} ${outcome.txId} ` : ''}${this.#t(WORDS.neverOrdered)}`,
                );
                this.#write(`${indent}  ${this.#t(WORDS.protects)}: ${this.#t(step.refused!.why)}`);
                break;
            case 'skipped':
                this.#write(`${indent}· ${who} · ${call} — ${this.#t(WORDS.skipped)} (${outcome.errorCode})`);
                break;
        }
        if ((outcome.kind === 'committed' || outcome.kind === 'evaluated') && step.show) {
            this.#write(`${indent}  → ${this.#t(step.show(outcome.answer))}`);
        }
        this.#bar?.update(this.#done, { status: `${contract}:${step.fn}` });
    }

    stop(): void {
        this.#bars?.stop();
    }

    #t(text: Text): string {
        return text[this.#language];
    }
}
