import { reactive } from 'vue';

export interface Toast {
    id: number;
    kind: 'info' | 'success' | 'error';
    /** Already translated. */
    text: string;
    /** A transaction to open in the explorer. */
    txId?: string;
}

let nextId = 1;

/** Messages that appear for a few seconds: events others caused, and outcomes of one's own actions. */
export const toasts = reactive<Toast[]>([]);

export function toast(kind: Toast['kind'], text: string, txId?: string, ms = 6000): void {
    const id = nextId++;
    toasts.push({ id, kind, text, ...(txId ? { txId } : {}) });
    if (toasts.length > 5) {
        toasts.shift();
    }
    setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
    const at = toasts.findIndex((item) => item.id === id);
    if (at >= 0) {
        toasts.splice(at, 1);
    }
}
