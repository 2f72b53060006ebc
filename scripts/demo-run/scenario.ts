import type { Chapter, RunContext } from './chapter';
import { einvoiceChapter } from './chapters/einvoice';
import { evidenceChapter } from './chapters/evidence';
import { lotteryChapters } from './chapters/lottery';
import { teaChapter } from './chapters/tea';
import { timebankChapter } from './chapters/timebank';

/**
 * The whole story, in the order it is told: e-receipts first; then the draw opens for entries,
 * early, because its registration must close (at a whole minute of transaction time) before it
 * can be drawn; the other three applications fill that wait, and the draw ends the demo.
 */
export function scenario(run: RunContext): Chapter[] {
    const lottery = lotteryChapters(run);
    return [
        einvoiceChapter(run),
        lottery.entries,
        teaChapter(run),
        timebankChapter(run),
        evidenceChapter(run),
        lottery.draw,
    ];
}
